import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../bench/lib/options.js';

describe('bench options: --warm-users', () => {
  it('rotates over 1,000 users’ tokens unless told otherwise, at both scales', () => {
    expect(parseOptions([]).warmUsers).toBe(1000);
    expect(parseOptions(['--scale', 'large']).warmUsers).toBe(1000);
  });

  it('takes a count in either spelling', () => {
    expect(parseOptions(['--warm-users', '1']).warmUsers).toBe(1);
    expect(parseOptions(['--warm-users=250', '--quick']).warmUsers).toBe(250);
  });

  it('refuses a count the world does not hold, naming the option', () => {
    for (const bad of ['0', '1001', '2.5', 'all']) {
      expect(() => parseOptions(['--warm-users', bad])).toThrow(/--warm-users must be a whole number from 1 to 1000/);
    }
  });
});
