/**
 * `npm run bench:web`: the web app's weight and speed as a browser sees them (issue 15, point 2). The built app is
 * served by a real portal (the browser suite's stack, tests/e2e/global-setup.ts: `npm run build`, PostgreSQL,
 * Redis, the CRS emulator, `node dist/main.js`) to Debian's Chromium driven by Playwright, with Chrome DevTools
 * Protocol network and CPU throttling. Measured:
 * - the login page's JavaScript as gzip bytes (what the portal sends a gzip-only client for each script it loads);
 * - the dashboard's total transferred bytes on a cold load (empty browser cache, new connections; headers included);
 * - "dashboard drawn" — the `kp:drawn:dashboard` mark the page sets once its figures and chart are on screen
 *   (web/src/lib/drawn.ts) — cold, on loopback and under two throttled profiles, median of several loads.
 * Results: bench/results/web.json and a table on stdout. Not part of CI: timings need a quiet machine.
 * Options: --runs N (loads per profile, default 5), --keep-going (no exit code for a missed target).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from '@playwright/test';
import globalSetup from '../tests/e2e/global-setup.js';
import { seedHistory, syncNow, url } from '../tests/e2e/support/app.js';
import { PASSWORD } from '../tests/e2e/support/env.js';

const RESULTS = path.resolve(import.meta.dirname, 'results', 'web.json');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

interface Profile {
  name: string;
  cpu: number;
  /** Chrome DevTools' presets "Fast 4G" and "Slow 4G": down / up in bits per second, round trip in ms. */
  network?: { latency: number; down: number; up: number };
  target?: number;
}
const PROFILES: Profile[] = [
  { name: 'loopback', cpu: 1, target: 1000 },
  { name: '4× CPU, 9 Mbps / 60 ms', cpu: 4, network: { latency: 60, down: 9e6, up: 1.5e6 }, target: 2500 },
  { name: '4× CPU, 1.6 Mbps / 150 ms', cpu: 4, network: { latency: 150, down: 1.6e6, up: 750e3 } },
];
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
};

async function signUp(): Promise<{ token: string; user: unknown }> {
  const res = await fetch(url('/api/auth/register'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-web-${Date.now()}@bench.test`, password: PASSWORD, displayName: 'Bench' }),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status}`);
  const body = (await res.json()) as { token: string; user: unknown };
  for (const name of ['Laptop', 'CI runner', 'Home server']) {
    const created = await fetch(url('/api/keys'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.token}` },
      body: JSON.stringify({ name }),
    });
    const { key } = (await created.json()) as { key: { id: string } };
    await seedHistory(key.id, 30, 40, name.length);
  }
  for (let i = 0; i < 40; i++) {
    await syncNow();
    const usage = await fetch(url('/api/stats/usage?range=30d'), {
      headers: { authorization: `Bearer ${body.token}` },
    });
    const { totals } = (await usage.json()) as { totals: { requests: number } };
    if (totals.requests > 1000) return body;
    await new Promise((r) => setTimeout(r, 1500));
  }
  throw new Error('the seeded usage did not arrive');
}

/** Bytes the portal sends for `href` to a client that accepts gzip only (the precompressed .gz twin). */
function gzipBytes(href: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(href, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
      });
      res.on('end', () => resolve(n));
    })
      .on('error', reject)
      .end();
  });
}

async function loginPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.push(r.url());
  });
  await page.goto(url('/login'));
  await page.locator('h1').waitFor();
  await page.waitForLoadState('networkidle');
  const bytes = await Promise.all(scripts.map(gzipBytes));
  const bodies = await Promise.all(scripts.map(async (s) => (await fetch(s)).text()));
  await context.close();
  return {
    scripts: scripts.map((s, i) => ({ file: new URL(s).pathname, gzipBytes: bytes[i] })),
    gzipBytes: bytes.reduce((a, b) => a + b, 0),
    chartCode: bodies.some((b) => b.includes('recharts-surface')),
  };
}

async function dashboard(browser: Browser, session: { token: string; user: unknown }, profile: Profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.addCookies([{ name: 'kp_session', value: session.token, url: url('/') }]);
  // A returning browser: it remembers who was signed in (web/src/lib/auth.tsx), as after any sign-in.
  await context.addInitScript({
    content: `localStorage.setItem('kp.session', ${JSON.stringify(JSON.stringify(session.user))});`,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let transferred = 0;
  const urls = new Map<string, string>();
  const files: { path: string; bytes: number }[] = [];
  cdp.on('Network.responseReceived', (e: { requestId: string; response: { url: string } }) => {
    urls.set(e.requestId, new URL(e.response.url).pathname);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    transferred += e.encodedDataLength;
    files.push({ path: urls.get(e.requestId) ?? '?', bytes: e.encodedDataLength });
  });
  if (profile.network) {
    const n = profile.network;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: n.latency,
      downloadThroughput: n.down / 8,
      uploadThroughput: n.up / 8,
    });
  }
  if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  await page.goto(url('/'));
  // Functions, not strings: the portal's CSP refuses eval, which a string predicate would need.
  await page.waitForFunction(() => performance.getEntriesByName('kp:drawn:dashboard').length > 0, null, {
    timeout: 60_000,
  });
  const drawnMs = await page.evaluate(() => performance.getEntriesByName('kp:drawn:dashboard')[0].startTime);
  await page.waitForLoadState('networkidle');
  await context.close();
  return { drawnMs, transferred, requests: files.length, files };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  const loadBefore = os.loadavg();
  const teardown = await globalSetup();
  const browser = await chromium.launch(LAUNCH);
  try {
    const session = await signUp();
    const login = await loginPage(browser);
    // One load first: the portal's caches warm, as for any visitor after the first (the browser stays cold).
    await dashboard(browser, session, PROFILES[0]);
    const profiles = [];
    for (const profile of PROFILES) {
      const loads = [];
      for (let i = 0; i < runs; i++) loads.push(await dashboard(browser, session, profile));
      profiles.push({ ...profile, loads, drawnMs: median(loads.map((l) => l.drawnMs)) });
    }
    const transferred = median(profiles[0].loads.map((l) => l.transferred));
    const report = {
      runAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), node: process.version },
      loadAverage: { before: loadBefore, after: os.loadavg() },
      runsPerProfile: runs,
      login,
      dashboard: {
        transferredBytes: transferred,
        requests: profiles[0].loads[0].requests,
        files: profiles[0].loads[0].files,
        profiles: profiles.map(({ loads, ...p }) => ({ ...p, loads: loads.map(({ files: _, ...l }) => l) })),
      },
    };
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    const rows: [string, string, string, boolean | null][] = [
      ['login page JavaScript (gzip)', '≤ 80 KB', kb(login.gzipBytes), login.gzipBytes <= 80 * 1024],
      ['login page loads chart code', 'no', login.chartCode ? 'yes' : 'no', !login.chartCode],
      ['dashboard transferred, cold', '≤ 200 KB', kb(transferred), transferred <= 200 * 1024],
      ...profiles.map((p): [string, string, string, boolean | null] => [
        `dashboard drawn, cold, ${p.name} (median of ${runs})`,
        p.target ? `≤ ${(p.target / 1000).toFixed(1)} s` : '–',
        `${(p.drawnMs / 1000).toFixed(2)} s`,
        p.target ? p.drawnMs <= p.target : null,
      ]),
    ];
    console.log(`\nbench:web ${report.runAt} on ${report.machine.cpus} × ${report.machine.cpuModel}, load average`);
    console.log(
      `${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${report.loadAverage.after.map((l) => l.toFixed(2)).join(' ')} after\n`,
    );
    console.log('| measure | target | figure | met |\n| --- | --- | --- | --- |');
    for (const [m, t, f, met] of rows)
      console.log(`| ${m} | ${t} | ${f} | ${met === null ? '–' : met ? 'yes' : 'no'} |`);
    console.log(`\nlogin scripts: ${login.scripts.map((s) => `${s.file} ${kb(s.gzipBytes)}`).join(', ')}`);
    console.log(`results: ${path.relative(process.cwd(), RESULTS)}`);
    if (rows.some((r) => r[3] === false) && !process.argv.includes('--keep-going')) process.exitCode = 1;
  } finally {
    await browser.close();
    await teardown();
  }
}

await main();
