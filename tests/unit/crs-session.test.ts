import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/infra/crs/session.js';

function fakeLogin() {
  let n = 0;
  let release: () => void = () => {};
  let gate = Promise.resolve();
  return {
    login: async () => {
      n += 1;
      const mine = n;
      await gate;
      return `token-${mine}`;
    },
    hold() {
      gate = new Promise<void>((r) => {
        release = r;
      });
    },
    release: () => release(),
    count: () => n,
  };
}

describe('CRS admin session', () => {
  it('concurrent first calls share one login', async () => {
    const f = fakeLogin();
    f.hold();
    const s = createSession(f.login);
    const all = Promise.all(Array.from({ length: 20 }, () => s.token()));
    f.release();
    expect(new Set(await all)).toEqual(new Set(['token-1']));
    expect(f.count()).toBe(1);
    expect(await s.token()).toBe('token-1');
    expect(f.count()).toBe(1);
  });

  it('20 callers refused with the same token cause one login', async () => {
    const f = fakeLogin();
    const s = createSession(f.login);
    const stale = await s.token();
    f.hold();
    const renewed = Promise.all(Array.from({ length: 20 }, () => s.renew(stale)));
    f.release();
    expect(new Set(await renewed)).toEqual(new Set(['token-2']));
    expect(f.count()).toBe(2);
  });

  it('a caller refused with an already-replaced token takes the new one without logging in', async () => {
    const f = fakeLogin();
    const s = createSession(f.login);
    const stale = await s.token();
    await s.renew(stale);
    expect(await s.renew(stale)).toBe('token-2');
    expect(f.count()).toBe(2);
  });

  it('a failed login is not cached: the next call logs in again', async () => {
    let fail = true;
    let n = 0;
    const s = createSession(async () => {
      n += 1;
      if (fail) throw new Error('down');
      return 'ok';
    });
    await expect(s.token()).rejects.toThrow('down');
    fail = false;
    expect(await s.token()).toBe('ok');
    expect(n).toBe(2);
  });
});
