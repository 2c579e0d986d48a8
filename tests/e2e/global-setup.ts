import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { type SmtpReceiver, startSmtp } from '../helpers/smtp-receiver.js';
import { freePort } from '../support/free-port.js';
import { startOidcProvider, type TestProvider } from '../support/oidc-provider.js';
import { startPostgres } from '../support/postgres-server.js';
import { RedisServer } from '../support/redis-server.js';
import { ADMIN, CRS_ADMIN } from './support/env.js';

const root = path.resolve(import.meta.dirname, '../..');
type EmulatorModule = typeof import('../../src/crs-emulator/index.js');

/**
 * One real portal for the whole browser run, started the way production starts it (`node dist/main.js`
 * after `npm run build`): a throwaway PostgreSQL and Redis, the CRS emulator as the only stand-in, a 5 s sync.
 * A tiny control server lets specs seed CRS history for a portal key and take CRS down, as an operator's CRS
 * would behave; specs never touch the portal's own state behind its back.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });

  const stops: Array<() => Promise<unknown>> = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.warn('e2e teardown:', e));
  };
  try {
    const [postgres, redis] = await Promise.all([startPostgres(), RedisServer.start()]);
    stops.push(
      () => postgres.stop(),
      () => redis.stop(),
    );
    const databaseUrl = await createDatabase(postgres.url, 'kp_e2e');

    // The built emulator (dist) is the same code as src; importing the build keeps this file free of a TS loader.
    const { startEmulator } = (await import(
      pathToFileURL(path.join(root, 'dist/crs-emulator/index.js')).href
    )) as EmulatorModule;
    const emulator = await startEmulator({ latency: 'fast', trafficRpm: 0, ...CRS_ADMIN });
    stops.push(() => emulator.close());

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    // A real OpenID Provider for the single sign-on journeys (its accounts are added through the control server).
    const provider = await startOidcProvider({ redirectUris: [`${baseUrl}/api/auth/oidc/callback`] });
    stops.push(() => provider.close());

    // Notifications: a real SMTP server in this process; specs read what it received through the control server.
    const smtp = await startSmtp();
    stops.push(() => smtp.close());
    const control = await startControl(emulator, databaseUrl, provider, smtp);
    stops.push(() => new Promise((r) => control.close(r)));

    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kp-e2e-'));
    stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const portal = spawn(process.execPath, [path.join(root, 'dist/main.js')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        CRS_BASE_URL: emulator.url,
        CRS_ADMIN_USERNAME: CRS_ADMIN.adminUsername,
        CRS_ADMIN_PASSWORD: CRS_ADMIN.adminPassword,
        CRS_PUBLIC_URL: 'https://relay.example.test',
        SYNC_INTERVAL: '5',
        REGISTRATION: 'open',
        // The operator's account is created at start (the admin bootstrap), before any journey registers.
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'error',
        PUBLIC_URL: baseUrl,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_NAME: 'Test IdP',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Claude Key Portal <portal@e2e.test>',
        // The journey's webhook is the control server, on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        NOTIFY_DELIVERY_INTERVAL: '2',
      },
    });
    stops.push(() => stopChild(portal));
    await waitForHealth(baseUrl, portal);

    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_CRS_URL = emulator.url;
    process.env.E2E_CONTROL_URL = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
    return teardown;
  } catch (e) {
    await teardown();
    throw e;
  }
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  return serverUrl.replace(/\/postgres$/, `/${name}`);
}

function startControl(
  emulator: Awaited<ReturnType<EmulatorModule['startEmulator']>>,
  databaseUrl: string,
  provider: TestProvider,
  smtp: SmtpReceiver,
) {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const server: Server = createServer(async (req, res) => {
    try {
      const body = JSON.parse((await readBody(req)) || '{}');
      if (req.url === '/seed') {
        // The portal keeps the CRS key id to itself (it never reaches a browser); look it up like an operator would.
        const { rows } = await db.query('select crs_key_id from api_keys where id = $1', [body.keyId]);
        if (!rows[0]) throw new Error(`no portal key ${body.keyId}`);
        emulator.store.seedHistory(rows[0].crs_key_id, {
          days: body.days ?? 10,
          requestsPerDay: body.requestsPerDay ?? 20,
          seed: body.seed,
        });
        // History older than yesterday reaches the portal on the daily full sync; make the next run that one
        // (as if a day had passed) instead of waiting a day.
        await db.query("update job_state set last_full_at = null where name = 'usage-sync'");
      } else if (req.url === '/oidc-account') {
        provider.account(body.sub, body.claims);
      } else if (req.url === '/crs') {
        emulator.faults.down = Boolean(body.down);
      } else if (req.url === '/spend') {
        // A request costing `usd` on a portal key, now (Sonnet input: $3 per million tokens).
        const { rows } = await db.query('select crs_key_id from api_keys where id = $1', [body.keyId]);
        if (!rows[0]) throw new Error(`no portal key ${body.keyId}`);
        emulator.store.recordUsage(rows[0].crs_key_id, { inputTokens: Math.ceil(Number(body.usd) / 3e-6) });
      } else if (req.url === '/mails') {
        // The raw messages received for one address (a notification journey renders their HTML).
        const raw = smtp.mails.filter((m) => m.to.includes(String(body.to))).map((m) => m.raw);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(raw));
        return;
      } else if (req.url === '/hook') {
        // A notification webhook's receiver: any 2xx acknowledges.
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(204).end();
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  });
  server.on('close', () => void db.end());
  return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the portal exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the portal did not become healthy within 60 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
