import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import type { ServerChild } from "./processes.js";

const NGINX = "/usr/sbin/nginx";

/**
 * nginx as the static-file baseline of issue 15: one worker, sendfile on, keep-alive, the same files as Larder.
 * Installed from Debian's packages when missing and the bench runs as root (CI does); otherwise undefined, and
 * the section says it had no nginx.
 */
export async function startNginx(root: string, workDir: string): Promise<ServerChild | undefined> {
  if (!existsSync(NGINX) && process.getuid?.() === 0) {
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "nginx-light"], { stdio: "ignore" });
    if (!existsSync(NGINX)) spawnSync("apt-get", ["install", "-y", "nginx"], { stdio: "ignore" });
  }
  if (!existsSync(NGINX)) return undefined;
  const port = await freePort();
  const dir = join(workDir, "nginx");
  await mkdir(join(dir, "temp"), { recursive: true });
  const config = join(dir, "nginx.conf");
  await writeFile(
    config,
    [
      "worker_processes 1;",
      // As root, workers would drop to nobody, who cannot enter the bench's 0700 temp dirs.
      ...(process.getuid?.() === 0 ? ["user root;"] : []),
      "daemon off;",
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${join(dir, "error.log")} warn;`,
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      "  sendfile on;",
      "  tcp_nopush on;",
      "  keepalive_requests 1000000;",
      // The metadata documents have no extension (…/versions): served as JSON, exactly as Larder does.
      "  default_type application/json;",
      "  types { application/json json; application/zip zip; application/gzip gz; }",
      `  client_body_temp_path ${join(dir, "temp")};`,
      `  proxy_temp_path ${join(dir, "temp")};`,
      `  fastcgi_temp_path ${join(dir, "temp")};`,
      `  uwsgi_temp_path ${join(dir, "temp")};`,
      `  scgi_temp_path ${join(dir, "temp")};`,
      `  server { listen 127.0.0.1:${port}; root ${root}; }`,
      "}",
      "",
    ].join("\n"),
  );
  const child = spawn(NGINX, ["-c", config, "-p", dir], { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((done) =>
    child.once("close", () => {
      done();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null)
      throw new Error(`nginx exited at start (${String(child.exitCode)}); see ${dir}/error.log`);
    if (await answers(url)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (child.pid === undefined) throw new Error("nginx has no pid (spawn failed)");
  return {
    name: "nginx",
    url,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGQUIT");
      await exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
