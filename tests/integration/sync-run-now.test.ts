import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { createUser } from '../helpers/security-suite.js';

/*
 * `sync.runNow`: a second ask while a cycle runs joins it — except a full cycle (the admin's "sync now, full")
 * asked during a regular one, which must run after it: folded into the regular cycle it would be lost.
 */
const t = await createTestApp();
const sync = t.app.services.sync;
const user = await createUser(t);
await createKey(t, user, { name: 'a' });
await sync.runNow(); // the first cycle is full anyway

describe('sync.runNow', () => {
  it('runs a full cycle asked during a regular one right after it', async () => {
    const regular = sync.runNow();
    const full = sync.runNow({ full: true });
    expect(await regular).toMatchObject({ ok: true, full: false });
    expect(await full).toMatchObject({ ok: true, full: true });
  });

  it('joins a running cycle otherwise: a regular ask during a full one, a second ask of the same kind', async () => {
    const full = sync.runNow({ full: true });
    const joined = sync.runNow();
    const again = sync.runNow({ full: true });
    const report = await full;
    expect(report).toMatchObject({ ok: true, full: true });
    expect(await joined).toBe(report);
    expect(await again).toBe(report);
  });
});
