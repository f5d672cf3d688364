import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startLarderServe } from "../helpers/larder-cli.js";

/** A server child process under measurement. */
export interface ServerChild {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const STATIC_SERVER = fileURLToPath(new URL("./static-server.ts", import.meta.url));

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error("the child process has no pid (spawn failed)");
  return child.pid;
}

/** Starts the sirv baseline over `root` in its own Node process. */
export function startStaticServer(root: string): Promise<ServerChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", STATIC_SERVER, root], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<void>((done) =>
      child.once("close", () => {
        done();
      }),
    );
    let out = "";
    child.once("error", reject);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening (\S+)/.exec(out)?.[1];
      if (url === undefined) return;
      child.stdout.removeAllListeners("data");
      resolve({
        name: "sirv",
        url,
        pid: pidOf(child),
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    });
    void exited.then(() => {
      reject(new Error(`the static server exited before listening: ${out}`));
    });
  });
}

/** Starts `larder serve` (the built CLI, as a user runs it) over a data directory on free ports. */
export async function startLarder(dataDir: string): Promise<ServerChild> {
  const serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
  return {
    name: "larder",
    url: serve.httpUrl,
    pid: pidOf(serve.child),
    stop: async () => {
      const result = await serve.stop();
      if (result.code !== 0)
        process.stderr.write(`larder serve exited ${String(result.code)}: ${result.stderr}\n`);
    },
  };
}
