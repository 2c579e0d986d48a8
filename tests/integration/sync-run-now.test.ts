import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { createUser } from '../helpers/security-suite.js';

/*
 * `sync.runNow`: a second ask while a cycle runs joins it — except a full cycle (the admin's "sync now, full", e.g.
 * after restoring CRS data) asked during a regular one, or during a full one that has begun reading CRS: folded into
 * it, the ask would be lost for what changed before it. Such a full cycle runs right after, once for every such ask.
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

  it('runs a full cycle asked while a full one reads CRS again after it: one for every such ask', async () => {
    t.emulator.resetRequestCounts();
    t.emulator.pause();
    const first = sync.runNow({ full: true });
    while (t.emulator.requestCount() === 0) await new Promise((r) => setTimeout(r, 10));
    // The running cycle has begun reading CRS: what changed there before these asks may already be read.
    const second = sync.runNow({ full: true });
    const third = sync.runNow({ full: true });
    const regular = sync.runNow();
    t.emulator.resume();
    const r1 = await first;
    expect(r1).toMatchObject({ ok: true, full: true });
    expect(await regular).toBe(r1);
    const r2 = await second;
    expect(r2).not.toBe(r1);
    expect(r2).toMatchObject({ ok: true, full: true });
    expect(await third).toBe(r2);
  });
});
