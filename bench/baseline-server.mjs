// The limit the portal is compared with: a bare node:http server answering each measured route with the same
// bytes and content-type the portal sent (captured by the harness), no auth, no routing library, no hooks.
// Under /h the same route also carries every other header the portal sent (security headers, cache-control, a
// fresh x-request-id): what the portal must send on top of the bare answer, priced apart from its own work.
//   node bench/baseline-server.mjs <port> <bodies.json>
//   bodies.json: { "/api/keys": { "contentType", "body", "headers" } }
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);
const routes = new Map();
for (const [path, r] of Object.entries(JSON.parse(readFileSync(file, 'utf8')))) {
  const body = Buffer.from(r.body);
  const bare = { 'content-type': r.contentType, 'content-length': body.length };
  routes.set(path, { body, headers: bare });
  routes.set(`/h${path}`, { body, headers: { ...r.headers, ...bare }, requestId: true });
}

const server = http.createServer((req, res) => {
  const q = req.url.indexOf('?');
  const route = routes.get(q < 0 ? req.url : req.url.slice(0, q));
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  // As the portal does it: one header object per answer, the request id set per request.
  res.writeHead(200, route.requestId ? { ...route.headers, 'x-request-id': randomUUID() } : route.headers);
  res.end(route.body);
});
server.keepAliveTimeout = 10_000;
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
