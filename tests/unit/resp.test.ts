import { describe, expect, it } from 'vitest';
import { RedisReplyError, ReplyParser } from '../../src/infra/crs-redis/resp.js';
import { encodeCommand } from '../../src/lib/redis-wire.js';

/** Every reply the parser hands over, fed the bytes in chunks of `size`. */
function parse(bytes: Buffer, size: number): unknown[] {
  const out: unknown[] = [];
  const p = new ReplyParser((r) => out.push(r));
  for (let i = 0; i < bytes.length; i += size) p.feed(bytes.subarray(i, i + size));
  return out;
}

const WIRE = Buffer.from(
  [
    '+OK\r\n',
    ':42\r\n',
    ':-7\r\n',
    '$5\r\nhello\r\n',
    '$-1\r\n',
    '$0\r\n\r\n',
    '*-1\r\n',
    '*0\r\n',
    // An HMGET's reply: a value with CR LF inside, a UTF-8 name, a missing field.
    `*3\r\n$4\r\na\r\nb\r\n$${Buffer.byteLength('clé 🔑')}\r\nclé 🔑\r\n$-1\r\n`,
    // An SSCAN step: cursor and members.
    '*2\r\n$3\r\n117\r\n*2\r\n$2\r\nk1\r\n$2\r\nk2\r\n',
    "-NOPERM this user has no permissions to run the 'set' command\r\n",
  ].join(''),
);
const REPLIES = [
  'OK',
  42,
  -7,
  'hello',
  null,
  '',
  null,
  [],
  ['a\r\nb', 'clé 🔑', null],
  ['117', ['k1', 'k2']],
  expect.any(RedisReplyError),
];

describe('RESP replies', () => {
  it('reads every reply type, whole or cut at any byte', () => {
    for (const size of [1, 2, 3, 5, 7, 13, 64, WIRE.length]) expect(parse(WIRE, size)).toEqual(REPLIES);
    const [err] = parse(Buffer.from('-ERR wrong\r\n'), 4) as RedisReplyError[];
    expect(err.message).toBe('ERR wrong');
  });

  it('hands over nothing of a reply until it is complete', () => {
    const out: unknown[] = [];
    const p = new ReplyParser((r) => out.push(r));
    p.feed(Buffer.from('*2\r\n$3\r\nabc\r\n$3\r\nde'));
    expect(out).toEqual([]);
    p.feed(Buffer.from('f\r\n:1'));
    expect(out).toEqual([['abc', 'def']]);
    p.feed(Buffer.from('\r\n'));
    expect(out).toEqual([['abc', 'def'], 1]);
  });

  it('reads a stream of many replies, and one larger than its buffer, through the buffer it reuses', () => {
    const big = 'x'.repeat(600_000);
    const replies = Array.from({ length: 3000 }, (_, i) => [`k${i}`, i % 7 ? String(i) : null]);
    const wire = Buffer.concat([
      ...replies.map(([k, v]) =>
        Buffer.from(`*2\r\n$${k!.length}\r\n${k}\r\n${v === null ? '$-1' : `$${v.length}\r\n${v}`}\r\n`),
      ),
      Buffer.from(`$${big.length}\r\n${big}\r\n:1\r\n`),
    ]);
    for (const size of [65_536, 1000, 777]) expect(parse(wire, size)).toEqual([...replies, big, 1]);
  });

  it('refuses bytes that are not a reply', () => {
    expect(() => parse(Buffer.from('HTTP/1.1 400 Bad Request\r\n'), 64)).toThrow(/not a Redis reply/);
  });
});

describe('RESP commands', () => {
  it('counts arguments in bytes, not characters', () => {
    expect(encodeCommand(['HMGET', 'apikey:é', 'name'])).toBe('*3\r\n$5\r\nHMGET\r\n$9\r\napikey:é\r\n$4\r\nname\r\n');
    expect(encodeCommand(['GET', ''])).toBe('*2\r\n$3\r\nGET\r\n$0\r\n\r\n');
  });
});
