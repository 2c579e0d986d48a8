import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { createUser } from '../helpers/security-suite.js';

const t = await createTestApp();

describe('reconciliation of orphaned CRS keys', () => {
  it('removes portal-tagged CRS keys of our users that have no row, and nothing else', async () => {
    const user = await createUser(t);
    const kept = await createKey(t, user);
    const old = Date.now() - 60 * 60_000;
    const store = t.emulator.store;
    // A create whose second step died with the process: in CRS, tagged for our user, no portal row.
    const orphan = store.createKey({ name: 'orphan', tags: ['portal', `portal-user:${user.id}`] }, { createdAt: old });
    // Another portal sharing this CRS, and a create still in flight: neither may be touched.
    const foreign = store.createKey(
      { name: 'theirs', tags: ['portal', `portal-user:${randomUUID()}`] },
      { createdAt: old },
    );
    const fresh = store.createKey({ name: 'in-flight', tags: ['portal', `portal-user:${user.id}`] });
    const operator = store.createKey({ name: 'operator-key', tags: ['team'] }, { createdAt: old });

    expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });

    expect(store.getKey(orphan.id)).toBeUndefined(); // soft, then permanent delete
    for (const id of [kept.crsKeyId, foreign.id, fresh.id, operator.id]) {
      expect(store.getKey(id)?.isDeleted ?? false).toBe(false);
    }
  });
});
