/**
 * Micro-benchmark of the warm lane (src/http/warm-lane.ts, docs/decisions/045), not a test: ns per warm read of
 * each lane route, one at a time, with Node's writing left out — the request and the answer are stand-ins that
 * record what the lane sends. What remains is the portal's own work on a warm read: the route and querystring
 * look-ups, the session, the answer from memory, the request id, the metric. Each step is also timed alone.
 * Runs the demo portal in-process (PGlite, memory cache, the emulator's demo data, no demo traffic).
 *
 *   npx tsx bench/micro/warm-lane.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { DEMO_EMAIL } from '../../src/demo.js';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { startPortal } from '../../src/portal.js';
import { measureSync } from './ns-per-op.js';

// The demo prints its account's password in the log: read from the log stream.
let password = '';
const log = new Writable({
  write(chunk, _enc, done) {
    const m = /with password (\S+)/.exec(String(chunk));
    if (m) password = m[1];
    done();
  },
});
const dataDir = mkdtempSync(path.join(tmpdir(), 'kp-lane-micro-'));
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  DEMO_TRAFFIC_RPM: '0',
});
const portal = await startPortal(config, 'micro', log);
try {
  const lane = portal.app.warmLane!;
  const login = await fetch(`${portal.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_EMAIL, password }),
  });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const keys = (await (await fetch(`${portal.url}/api/keys`, { headers })).json()) as { items: Array<{ id: string }> };
  const keyIds = keys.items.slice(0, 2).map((k) => k.id);
  const reads = [
    '/api/stats/usage?range=30d',
    '/api/keys',
    '/api/stats/leaderboard',
    `/api/stats/compare?keyIds=${keyIds.join(',')}`,
  ];
  // Each read once through Fastify (which validates its querystring and teaches it to the lane), then once more.
  for (const url of reads) for (let i = 0; i < 2; i++) await (await fetch(`${portal.url}${url}`, { headers })).text();

  let sent = 0;
  const res = {
    headersSent: false,
    writeHead: (_status: number, h: string[]) => {
      sent += h.length;
    },
    end: (body: Buffer) => {
      sent += body.length;
    },
  };
  for (const url of reads) {
    const req = { method: 'GET', url, headers: { host: '127.0.0.1', ...headers } };
    // biome-ignore lint/suspicious/noExplicitAny: stand-ins for node:http's request and response
    const serve = () => lane.serve(req as any, res as any);
    if (!serve()) throw new Error(`the lane did not answer ${url}`);
    measureSync(`lane read ${url.split('?')[0]}`, serve);
  }
  const services = portal.app.services;
  measureSync('  the session (hash and memory read)', () => services.accounts.resolveCached(token));
  measureSync('  the token hash alone', () => hashToken(token));
  const metrics = portal.deps.metrics;
  measureSync('  the metric', () => {
    metrics.httpDuration.record('GET', '/api/stats/usage', 200, 0.0001);
    return true;
  });
  if (sent === 0) throw new Error('nothing sent');
} finally {
  await portal.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
