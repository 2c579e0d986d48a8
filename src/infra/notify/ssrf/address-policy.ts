import { isIP } from 'node:net';

/**
 * Which addresses a user-given webhook URL may reach (docs/decisions/023-notification-channels.md, "SSRF").
 * Everything that is not on the public internet is named by its class, so the refusal says why. IPv6 forms that
 * carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'unique_local'
  | 'metadata'
  | 'unspecified'
  | 'reserved';

/**
 * Refused even when the operator allows private networks: cloud metadata services hand out credentials, and an
 * unspecified or multicast address is never a webhook receiver (0.0.0.0 even connects to the local host).
 */
const ALWAYS_REFUSED: ReadonlySet<AddressClass> = new Set(['metadata', 'unspecified', 'multicast']);

/** True when the address may be connected to; `allowPrivate` is WEBHOOK_ALLOW_PRIVATE. */
export function isAllowedAddress(cls: AddressClass, allowPrivate: boolean): boolean {
  if (cls === 'public') return true;
  return allowPrivate && !ALWAYS_REFUSED.has(cls);
}

// Cloud metadata endpoints: AWS/GCP/Azure/OpenStack, AWS ECS, Alibaba Cloud, Azure's wire server, Oracle Cloud.
// Azure's 168.63.129.16 is in a public range, which is why these are listed before the ranges.
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', '192.0.0.192']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']);

const V4_RANGES: Array<[string, number, AddressClass]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: Array<[string, number, AddressClass]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
  ['3fff::', 20, 'reserved'],
  ['5f00::', 16, 'reserved'],
  ['fc00::', 7, 'unique_local'],
  ['fe80::', 10, 'link_local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

const v4Ranges = V4_RANGES.map(([base, bits, cls]) => ({ base: v4ToInt(base), bits, cls }));
const v6Ranges = V6_RANGES.map(([base, bits, cls]) => ({ base: v6ToBigInt(base), bits, cls }));

/** The class of an IP address (v4 or v6, with or without brackets or a zone id); undefined if it is not one. */
export function classifyAddress(raw: string): AddressClass | undefined {
  const address = raw.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return classifyV4(v4ToInt(address));
  if (family === 6) return classifyV6(v6ToBigInt(address));
  return undefined;
}

function classifyV4(n: number): AddressClass {
  if (METADATA_V4.has(intToV4(n))) return 'metadata';
  for (const r of v4Ranges) {
    if (r.bits === 0 || n >>> (32 - r.bits) === r.base >>> (32 - r.bits)) return r.cls;
  }
  return 'public';
}

function classifyV6(n: bigint): AddressClass {
  if (METADATA_V6.has(bigIntToV6(n))) return 'metadata';
  const embedded = embeddedV4(n);
  if (embedded !== undefined) return classifyV4(embedded);
  for (const r of v6Ranges) {
    const shift = BigInt(128 - r.bits);
    if (n >> shift === r.base >> shift) return r.cls;
  }
  return 'public';
}

/** The IPv4 address inside ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d and 2002:AABB:CCDD::. */
function embeddedV4(n: bigint): number | undefined {
  const low32 = Number(n & 0xffffffffn);
  const high96 = n >> 32n;
  if (high96 === 0xffffn || high96 === 0xffff0000n) return low32;
  if (high96 === 0n && low32 > 1) return low32;
  if (high96 === 0x0064ff9b0000000000000000n) return low32;
  if (n >> 112n === 0x2002n) return Number((n >> 80n) & 0xffffffffn);
  return undefined;
}

function v4ToInt(a: string): number {
  return a.split('.').reduce((acc, part) => acc * 256 + Number(part), 0) >>> 0;
}

function intToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function v6ToBigInt(a: string): bigint {
  let text = a;
  // A dotted IPv4 tail (::ffff:10.0.0.1) becomes two hex groups.
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = v4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

function bigIntToV6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(':');
}
