import { describe, expect, it } from 'vitest';
import { joinKey, matchPrefix } from '../../src/infra/cache/keys.js';

describe('cache keys', () => {
  it('joins parts as entity:id:extra', () => {
    expect(joinKey(['usage', 'u1', '30d', 'all'])).toBe('usage:u1:30d:all');
    expect(joinKey(['global'])).toBe('global');
  });

  it('escapes ":" and "%" inside a part, so different parts never make the same key', () => {
    expect(joinKey(['list', 'u1', 'q=a:b'])).toBe('list:u1:q=a%3Ab');
    expect(joinKey(['a:b', 'c'])).not.toBe(joinKey(['a', 'b:c']));
    expect(joinKey(['100%'])).toBe('100%25');
    expect(joinKey(['%3A'])).not.toBe(joinKey([':']));
  });

  it('refuses an empty key and non-string parts', () => {
    expect(() => joinKey([])).toThrow(TypeError);
    expect(() => joinKey([42 as unknown as string])).toThrow(TypeError);
  });

  it('builds SCAN patterns that treat glob characters in the prefix literally', () => {
    expect(matchPrefix('kp:stats:')).toBe('kp:stats:*');
    expect(matchPrefix('t[1]*:stats:')).toBe('t\\[1\\]\\*:stats:*');
  });
});
