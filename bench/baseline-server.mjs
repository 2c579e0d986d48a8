// The limit the portal is compared with: a bare node:http server answering each measured route with the same
// bytes and content-type the portal sent (captured by the harness), no auth, no routing library, no hooks.
//   node bench/baseline-server.mjs <port> <bodies.json>   bodies.json: { "/api/keys": { "contentType", "body" } }
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);
const routes = new Map(
  Object.entries(JSON.parse(readFileSync(file, 'utf8'))).map(([path, r]) => [
    path,
    {
      body: Buffer.from(r.body),
      headers: { 'content-type': r.contentType, 'content-length': Buffer.byteLength(r.body) },
    },
  ]),
);

const server = http.createServer((req, res) => {
  const q = req.url.indexOf('?');
  const route = routes.get(q < 0 ? req.url : req.url.slice(0, q));
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, route.headers);
  res.end(route.body);
});
server.keepAliveTimeout = 10_000;
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
