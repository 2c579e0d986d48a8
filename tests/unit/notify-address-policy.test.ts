import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowedAddress } from '../../src/infra/notify/ssrf/address-policy.js';

describe('webhook address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:a00:1::', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    ['::ffff:8.8.8.8', 'public'],
  ])('judges %s by the IPv4 address it carries (%s)', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
  ])('%s is public', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });

  it('is not fooled by host names or junk', () => {
    expect(classifyAddress('localhost')).toBeUndefined();
    expect(classifyAddress('127.1')).toBeUndefined();
    expect(classifyAddress('')).toBeUndefined();
  });

  it('refuses everything but public addresses unless private networks are allowed', () => {
    for (const cls of ['loopback', 'private', 'link_local', 'cgnat', 'unique_local', 'reserved'] as const) {
      expect(isAllowedAddress(cls, false)).toBe(false);
      expect(isAllowedAddress(cls, true)).toBe(true);
    }
    expect(isAllowedAddress('public', false)).toBe(true);
  });

  it('refuses metadata, unspecified and multicast addresses even when private networks are allowed', () => {
    for (const cls of ['metadata', 'unspecified', 'multicast'] as const)
      expect(isAllowedAddress(cls, true)).toBe(false);
  });
});
