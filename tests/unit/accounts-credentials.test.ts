import { describe, expect, it } from 'vitest';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../src/domain/accounts/password-hash.js';
import { hashToken, looksLikeToken, newSessionToken } from '../../src/domain/accounts/tokens.js';

describe('session tokens', () => {
  it('are 256 random bits in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newSessionToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
      expect(looksLikeToken(t)).toBe(true);
    }
  });

  it('are stored as their SHA-256', () => {
    const t = newSessionToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).toBe(hashToken(t));
    expect(hashToken(t)).not.toContain(t);
  });

  it.each(['', 'short', `${newSessionToken()}x`, `${newSessionToken().slice(1)}=`, 'a'.repeat(42) + '/'])(
    'rejects %j without hashing',
    (s) => expect(looksLikeToken(s)).toBe(false),
  );
});

describe('passwords', () => {
  it('are hashed with argon2id and verified', async () => {
    const h = await hashPassword('correct horse battery staple');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(h, 'Correct horse battery staple')).toBe(false);
  });

  it('salt each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('treat an unreadable stored hash as a mismatch, not an error', async () => {
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });

  it('verify against a dummy for unknown accounts and always fail', async () => {
    expect(await verifyAgainstDummy('dummy password that matches nothing')).toBe(false);
  });
});
