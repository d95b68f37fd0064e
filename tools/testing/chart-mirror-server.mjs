// A Helm chart repository on loopback, as its own process (see chart-mirror.ts): serves the plain files
// of one folder on 127.0.0.1 and an ephemeral port and prints its URL; with a second argument, appends
// each request's path to that file as it comes.
import { appendFileSync, createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";

const dir = path.resolve(process.argv[2] ?? ".");
const log = process.argv[3];
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (log) appendFileSync(log, `${url.pathname}\n`);
  const name = decodeURIComponent(url.pathname.replace(/^\/+/, ""));
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405).end();
    return;
  }
  let size = -1;
  if (name && !name.includes("/") && !name.startsWith(".")) {
    try {
      const stat = statSync(path.join(dir, name));
      if (stat.isFile()) size = stat.size;
    } catch {
      // Not there: 404 below.
    }
  }
  if (size < 0) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    return;
  }
  res.writeHead(200, { "content-type": name.endsWith(".yaml") ? "application/yaml" : "application/gzip", "content-length": size });
  if (req.method === "HEAD") res.end();
  else createReadStream(path.join(dir, name)).pipe(res);
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`url http://127.0.0.1:${server.address().port}\n`);
});
// Ends with its parent: stdin closes when the parent goes.
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
