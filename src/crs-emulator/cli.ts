import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';
import type { LatencyMode } from './latency.js';

/**
 * `npm run emulator -- --port 3190 [--traffic-rpm N] [--latency fast|realistic|none] [--data-file path]
 * [--host H] [--no-demo] [--redis redis://…]`: a standalone CRS stand-in with demo keys. With --redis it also
 * writes CRS's Redis layout there (docs/crs.md §9), for the portal's CRS_REDIS_URL: give it a Redis of its own — a
 * state loaded from --data-file is copied there in bulk at start, after emptying that database. Admin credentials from
 * EMULATOR_ADMIN_USERNAME / EMULATOR_ADMIN_PASSWORD (admin/admin).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3190' },
    host: { type: 'string', default: '127.0.0.1' },
    'traffic-rpm': { type: 'string', default: '30' },
    latency: { type: 'string', default: 'fast' },
    'data-file': { type: 'string' },
    'timezone-offset': { type: 'string', default: '8' },
    'no-demo': { type: 'boolean', default: false },
    redis: { type: 'string' },
  },
});

const latency = values.latency as LatencyMode;
if (!['none', 'fast', 'realistic'].includes(latency)) {
  process.stderr.write(`--latency must be none, fast or realistic\n`);
  process.exit(2);
}
const num = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative number\n`);
    process.exit(2);
  }
  return n;
};

const emulator = await startEmulator({
  port: num('port', values.port),
  host: values.host,
  latency,
  trafficRpm: num('traffic-rpm', values['traffic-rpm']),
  dataFile: values['data-file'],
  timezoneOffset: num('timezone-offset', values['timezone-offset']),
  seedDemo: !values['no-demo'],
  redisUrl: values.redis,
  adminUsername: process.env.EMULATOR_ADMIN_USERNAME || 'admin',
  adminPassword: process.env.EMULATOR_ADMIN_PASSWORD || 'admin',
});
process.stdout.write(
  `CRS emulator listening on ${emulator.url} (latency ${latency}, ${emulator.store.keyCount()} keys` +
    `${values.redis ? ", writing CRS's Redis layout" : ''})\n`,
);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
