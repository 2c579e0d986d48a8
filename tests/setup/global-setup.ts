import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/infra/db/client.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { startPostgres } from '../support/postgres-server.js';
import { RedisServer } from '../support/redis-server.js';

/**
 * One real PostgreSQL and one real Redis for the whole run. Each test file gets its own database cloned from a
 * migrated template (tests/helpers/db.ts) and its own Redis key prefix, so files run in parallel safely.
 */
export default async function setup(project: TestProject) {
  const [pg, redis] = await Promise.all([startPostgres(), RedisServer.start()]);
  const templateUrl = pg.url.replace(/\/postgres$/, '/kp_template');
  const admin = await openDatabase({ databaseUrl: pg.url, dataDir: '.', poolSize: 1 });
  await admin.db.execute('create database kp_template' as never);
  await admin.close();
  const template = await openDatabase({ databaseUrl: templateUrl, dataDir: '.', poolSize: 1 });
  await migrate(template);
  await template.close();

  project.provide('pgUrl', pg.url);
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([pg.stop(), redis.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    redisUrl: string;
  }
}
