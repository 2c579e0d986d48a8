import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/infra/db/client.js';
import { migrate, migrationsFolder } from '../../src/infra/db/migrate.js';

/* Instances started together (a rolling deploy) migrate one after the other: each migration is applied once. */
const serverUrl = inject('pgUrl');
const name = `kp_mig_${randomBytes(5).toString('hex')}`;
const admin = await openDatabase({ databaseUrl: serverUrl, dataDir: '.', poolSize: 1 });
await admin.db.execute(`create database ${name}` as never);
afterAll(async () => {
  await admin.db.execute(`drop database if exists ${name} with (force)` as never);
  await admin.close();
});

describe('migrations at start', () => {
  it('four instances migrating an empty database at once: no error, each migration applied once', async () => {
    const url = serverUrl.replace(/\/postgres$/, `/${name}`);
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => openDatabase({ databaseUrl: url, dataDir: '.', poolSize: 2 })),
    );
    try {
      await Promise.all(instances.map((db) => migrate(db)));
      const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
      const applied = await instances[0].db.execute(
        'select count(*)::int as n from drizzle.__drizzle_migrations' as never,
      );
      expect((applied as unknown as { rows: Array<{ n: number }> }).rows[0].n).toBe(journal.entries.length);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
    }
  });
});
