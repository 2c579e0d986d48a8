import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { type Database, openDatabase } from '../../src/infra/db/client.js';

/**
 * A fresh, migrated PostgreSQL database for one test file (cloned from the template the global setup migrated).
 * Dropped when the file ends.
 */
export async function createTestDatabase(): Promise<Database & { url: string }> {
  const serverUrl = inject('pgUrl');
  const name = `kp_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: serverUrl, dataDir: '.', poolSize: 1 });
  await admin.db.execute(`create database ${name} template kp_template` as never);
  const url = serverUrl.replace(/\/postgres$/, `/${name}`);
  const database = await openDatabase({ databaseUrl: url, dataDir: '.', poolSize: 5 });
  afterAll(async () => {
    await database.close();
    await admin.db.execute(`drop database if exists ${name} with (force)` as never);
    await admin.close();
  });
  return Object.assign(database, { url });
}

/** A Redis key prefix unique to this test file. */
export function redisPrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}
