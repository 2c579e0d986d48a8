// One autocannon run in a process of its own, so that the harness's work (the in-process CRS emulator answering
// the portal's sync) never stalls the load generator's event loop. Plain JavaScript: no transpiler in the loop.
//   node bench/load-generator.mjs <spec.json> <warmupSeconds> <seconds>
// spec: { url, connections, targets: [{ path, token? }] }. Prints "measuring" when the warm-up is over and the
// measured run starts, then the measured run's result as one JSON line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const [warmup, seconds] = [Number(process.argv[3]), Number(process.argv[4])];
// Pre-built header objects: the client costs the same per request against the portal and the baseline.
const prepared = spec.targets.map((t) => ({
  path: t.path,
  headers: t.token ? { authorization: `Bearer ${t.token}` } : {},
}));
let next = Math.floor(Math.random() * prepared.length);
const run = (duration) =>
  autocannon({
    url: spec.url,
    connections: spec.connections,
    duration,
    requests: [
      {
        method: 'GET',
        // Rotates through the targets request by request: many users' tokens, not one.
        setupRequest: (req) => {
          const t = prepared[next];
          next = next + 1 === prepared.length ? 0 : next + 1;
          req.path = t.path;
          req.headers = t.headers;
          return req;
        },
      },
    ],
  });
if (warmup > 0) await run(warmup);
process.stdout.write('measuring\n');
const result = await run(seconds);
process.stdout.write(
  `${JSON.stringify({
    duration: result.duration,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  })}\n`,
);
