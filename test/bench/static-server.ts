// The baseline server: sirv, a well-kept static file server, serving a directory on 127.0.0.1 in its own process,
// so it is measured exactly as `larder serve` is. Prints "listening <url>" once ready.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import sirv from "sirv";

const root = process.argv[2];
if (root === undefined) {
  process.stderr.write("usage: static-server.ts DIR\n");
  process.exit(2);
}
// Production mode (dev: false) stats every file once at start and caches the headers: the fastest sirv can be.
const handler = sirv(root, { dev: false, etag: true, dotfiles: true, extensions: [] });
const server = createServer((req, res) => {
  handler(req, res, () => {
    res.statusCode = 404;
    res.end();
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening http://127.0.0.1:${port}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
});
