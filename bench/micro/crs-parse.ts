/**
 * Micro-benchmark of the CRS client's hot paths (not a test): the sync reads `GET /admin/usage-stats` and
 * `GET /admin/api-keys-usage-trend` for every key. Compares zod against the hand-written normalisers of
 * src/infra/crs/hot-parse.ts (streamed readers) on synthetic answers shaped like the captured samples, and global fetch against
 * node:http (keep-alive agent) for reading the same body over loopback.
 *
 *   npx tsx bench/micro/crs-parse.ts [keys=100000] [trendDays=7]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { readKeysTrend, readUsageStats } from '../../src/infra/crs/hot-parse.js';
import { num, str } from '../../src/infra/crs/loose.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const TREND_DAYS = Number(process.argv[3] ?? 7);

const uuid = (i: number) => `${i.toString(16).padStart(8, '0')}-4a2a-4639-8f44-aabe17489428`;

function usageStatsBody(n: number): string {
  const stats = Array.from({ length: n }, (_, i) => {
    const input = 1000 + i;
    const output = 2 * i;
    return {
      keyId: uuid(i),
      keyName: `portal-key-${i}`,
      usage: {
        total: {
          requests: i % 500,
          tokens: input + output + 7 * i,
          inputTokens: input,
          outputTokens: i % 3 === 0 ? String(output) : output,
          cacheCreateTokens: 3 * i,
          cacheReadTokens: 4 * i,
          allTokens: input + output + 7 * i,
          cost: i / 1000,
        },
        daily: { requests: 1, tokens: 6068 },
        monthly: { requests: 204, tokens: 704407 },
        averages: { rpm: 0.14, tpm: 489.17 },
        totalCost: i / 1000,
      },
    };
  });
  return JSON.stringify({ success: true, data: { period: 'daily', stats } });
}

function keysTrendBody(n: number, days: number): string {
  const data = Array.from({ length: days }, (_, d) => {
    const apiKeys: Record<string, unknown> = {};
    // About a third of the keys have usage on a given day.
    for (let i = d % 3; i < n; i += 3) {
      apiKeys[uuid(i)] = {
        name: `portal-key-${i}`,
        tokens: 1000 + i,
        requests: 1 + (i % 20),
        cost: i / 7,
        formattedCost: '$0.1',
      };
    }
    return { date: `2026-11-${String(10 + d).padStart(2, '0')}`, apiKeys };
  });
  return JSON.stringify({ success: true, data, granularity: 'day', topApiKeys: [], totalApiKeys: n });
}

// The same reading rules expressed in zod, as the schemas of src/infra/crs would do it without hot-parse.ts.
const zodUsageStats = z.object({
  data: z.object({
    stats: z.array(
      z.object({
        keyId: z.string().min(1),
        keyName: str,
        usage: z.object({
          total: z.object({
            requests: num,
            allTokens: num,
            inputTokens: num,
            outputTokens: num,
            cacheCreateTokens: num,
            cacheReadTokens: num,
            cost: num,
          }),
        }),
      }),
    ),
  }),
});
const zodKeysTrend = z.object({
  data: z.array(
    z.object({
      date: z.string(),
      apiKeys: z.record(z.string(), z.object({ tokens: num, requests: num, cost: num })),
    }),
  ),
});

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(label: string, runs: number, fn: () => unknown | Promise<unknown>) {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  console.log(
    `${label.padEnd(46)} median ${median(ms).toFixed(1).padStart(8)} ms  (min ${Math.min(...ms).toFixed(1)})`,
  );
}

async function parseBench(name: string, text: string, streamed: (text: string) => unknown, zod: z.ZodType) {
  console.log(`\n${name}: ${(text.length / 1e6).toFixed(1)} MB`);
  await time('JSON.parse', 5, () => JSON.parse(text));
  await time('JSON.parse + zod schema', 5, () => zod.parse(JSON.parse(text)));
  // What the client does: scan the text, JSON.parse each record alone, normalise it by hand.
  await time('streamed reader (whole text in one chunk)', 5, () => streamed(text));
}

async function transportBench(text: string) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/usage-stats`;
  const agent = new http.Agent({ keepAlive: true });
  const viaHttp = () =>
    new Promise<string>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  console.log(`\ntransport, body ${(text.length / 1e6).toFixed(1)} MB over loopback (read + JSON.parse)`);
  await time('global fetch: res.text() + JSON.parse', 5, async () => JSON.parse(await (await fetch(url)).text()));
  await time('node:http keep-alive agent + JSON.parse', 5, async () => JSON.parse(await viaHttp()));
  agent.destroy();
  await new Promise((r) => server.close(r));
}

const stats = usageStatsBody(KEYS);
await parseBench(`usage-stats, ${KEYS} keys`, stats, readUsageStats, zodUsageStats);
await parseBench(
  `api-keys-usage-trend, ${KEYS} keys × ${TREND_DAYS} days`,
  keysTrendBody(KEYS, TREND_DAYS),
  readKeysTrend,
  zodKeysTrend,
);
await transportBench(stats);
