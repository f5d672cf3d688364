import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import https from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLarder, startLarderServe } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

/** Issue 15: `larder tls rotate` and `larder serve --tls-name`, as a user runs them. */
let temp: TempDir;

beforeAll(async () => {
  temp = await makeTempDir("cli-tls");
});

afterAll(async () => {
  await temp.remove();
});

/** GETs over HTTPS as a client that reached the server by `servername` and trusts only `ca`. */
function getAs(url: string, servername: string, ca: string): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    https
      .get(
        {
          host: target.hostname,
          port: target.port,
          path: "/.well-known/terraform.json",
          servername,
          ca,
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
      .on("error", reject);
  });
}

describe("larder tls rotate", () => {
  it("makes a name-constrained CA, prints how to trust it, and a serve with the same --tls-name uses it", async () => {
    const dataDir = join(temp.path, "rotate");
    const first = await runLarder(["tls", "rotate", "--tls-name", "mirror.lan", "--data-dir", dataDir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("It may only vouch for: localhost, 127.0.0.0/8, ::1, mirror.lan");
    expect(first.stdout).toContain("There was no CA before.");
    expect(first.stdout).toContain(
      `Serve with the same names: larder serve --tls-name mirror.lan --data-dir ${dataDir}`,
    );

    const second = await runLarder(["tls", "rotate", "--tls-name", "mirror.lan", "--data-dir", dataDir]);
    expect(second.code, second.stderr).toBe(0);
    const kept = /certificate is kept at (\S+) \(SHA-1 ([0-9A-F]{40})\)/.exec(second.stdout);
    expect(kept, second.stdout).not.toBeNull();
    const old = new X509Certificate(await readFile(kept?.[1] ?? "", "utf8"));
    expect(old.fingerprint.replaceAll(":", "")).toBe(kept?.[2]);
    expect(second.stdout).toContain(`security delete-certificate -Z ${kept?.[2] ?? ""}`);
    expect(second.stdout).toContain(`certutil -user -delstore Root ${old.serialNumber}`);

    const ca = await readFile(join(dataDir, "tls", "ca.pem"), "utf8");
    const serve = await startLarderServe([
      "--data-dir",
      dataDir,
      "--port",
      "0",
      "--https-port",
      "0",
      "--tls-name",
      "mirror.lan",
    ]);
    try {
      expect(serve.stdout()).not.toContain("without name constraints");
      expect(await getAs(serve.httpsUrl, "mirror.lan", ca)).toBe(200);
      expect(await getAs(serve.httpsUrl, "localhost", ca)).toBe(200);
      await expect(getAs(serve.httpsUrl, "other.lan", ca)).rejects.toThrow(/other\.lan/);
    } finally {
      await serve.stop();
    }
  });

  it("refuses to serve a --tls-name the CA does not permit, with the command that would", async () => {
    const dataDir = join(temp.path, "unpermitted");
    expect((await runLarder(["tls", "rotate", "--data-dir", dataDir])).code).toBe(0);
    await expect(
      startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0", "--tls-name", "new.lan"]),
    ).rejects.toThrow(`larder tls rotate --tls-name new.lan --data-dir ${dataDir}`);
  });

  it("refuses a malformed --tls-name before touching anything", async () => {
    const result = await runLarder([
      "tls",
      "rotate",
      "--tls-name",
      "https://x.lan",
      "--data-dir",
      join(temp.path, "bad"),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Invalid --tls-name "https://x.lan"');
  });
});
