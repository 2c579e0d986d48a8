/**
 * `npm run docs:api`: rewrites the route reference in docs/api.md (between `<!-- routes:start -->` and
 * `<!-- routes:end -->`) from the app's own OpenAPI document, so the reference cannot drift from the route
 * declarations. `npm run docs:api -- --check` changes nothing and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCache } from '../src/infra/cache/index.js';
import { createCrsClient } from '../src/infra/crs/client.js';
import type { Database } from '../src/infra/db/client.js';
import { schema } from '../src/infra/db/schema.js';
import { createMetrics } from '../src/infra/metrics/metrics.js';
import { createLogger } from '../src/logger.js';
import { type ApiDocument, renderRoutes, spliceRoutes } from './api-docs-render.js';

export const API_DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/api.md');

/** Port 9 (discard): nothing listens there, and nothing below calls it — building the app contacts no one. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * The OpenAPI document of the real app (`buildApp`), built without listening and without any service: the
 * database is Drizzle's connection-less mock (building the app runs no query; one would fail loudly here), the
 * cache has only its memory tier, and the CRS client logs in lazily, on a first call that never comes.
 */
export async function openApiDocument(): Promise<ApiDocument> {
  const logger = createLogger('silent');
  const metrics = createMetrics();
  const config = loadConfig({ CRS_BASE_URL: NOWHERE, CRS_ADMIN_USERNAME: 'docs', CRS_ADMIN_PASSWORD: 'docs' });
  const cache = await createCache({ metrics, logger });
  const crs = createCrsClient({
    baseUrl: NOWHERE,
    username: 'docs',
    password: 'docs',
    timeoutMs: 1000,
    metrics,
    logger,
  });
  const unavailable = () => Promise.reject(new Error('the docs build has no database'));
  const database: Database = {
    db: drizzle.mock({ schema }),
    transaction: unavailable,
    kind: 'postgres',
    ping: unavailable,
    withLeaderLock: unavailable,
    withExclusiveLock: unavailable,
    close: async () => {},
  };
  const app = await buildApp({
    config,
    database,
    cache,
    crs,
    metrics,
    clock: () => new Date(),
    logger,
    version: 'docs',
  });
  try {
    await app.ready();
    // A plain-data copy: the renderer reads JSON, not the swagger plugin's typed objects.
    return JSON.parse(JSON.stringify(app.swagger()));
  } finally {
    await app.close();
    await cache.close();
  }
}

/** docs/api.md as it is, and as it should be. */
export async function apiDocs(): Promise<{ current: string; expected: string }> {
  const current = readFileSync(API_DOCS, 'utf8');
  return { current, expected: spliceRoutes(current, renderRoutes(await openApiDocument())) };
}

async function main() {
  const { current, expected } = await apiDocs();
  if (current === expected) {
    process.stdout.write('docs/api.md: the route reference is up to date\n');
  } else if (process.argv.includes('--check')) {
    process.stderr.write('docs/api.md: the route reference is out of date; run `npm run docs:api`\n');
    process.exitCode = 1;
  } else {
    writeFileSync(API_DOCS, expected);
    process.stdout.write('docs/api.md: route reference rewritten\n');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
