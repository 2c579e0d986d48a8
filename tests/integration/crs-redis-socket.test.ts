import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisReplyError } from '../../src/infra/crs-redis/resp.js';
import { RedisSocket } from '../../src/infra/crs-redis/socket.js';
import { parseRedisUrl } from '../../src/lib/redis-wire.js';
import { RedisServer } from '../support/redis-server.js';

/*
 * The direct reader's own connection to CRS's Redis (src/infra/crs-redis/socket.ts), against a real Redis: batches
 * answered in order however many are in flight, AUTH with a user and SELECT from the URL, a dropped connection
 * failing what waited and the next batch reconnecting, a Redis that hangs failing within the timeout.
 */
const server = await RedisServer.start();
const admin = new Redis(server.url);
await admin.call('ACL', 'SETUSER', 'reader', 'on', '>reader-secret', '~*', '-@all', '+get', '+select', '+client|id');
const errors: string[] = [];
const sockets: RedisSocket[] = [];
const open = (url: string, timeoutMs = 2000) => {
  const s = new RedisSocket(parseRedisUrl(url), timeoutMs, (e) => errors.push(e.message));
  sockets.push(s);
  return s;
};

afterAll(async () => {
  for (const s of sockets) await s.close();
  admin.disconnect();
  await server.stop();
});

describe("the direct reader's Redis connection", () => {
  it('answers batches in flight together, each with its own replies in order', async () => {
    const p = admin.pipeline();
    for (let i = 0; i < 2000; i++) p.set(`usage:cost:total:k${i}`, String(i * 1.5));
    await p.exec();
    const s = open(server.url);
    const batches = Array.from({ length: 8 }, (_, b) =>
      s.send(Array.from({ length: 250 }, (_, i) => ['GET', `usage:cost:total:k${b * 250 + i}`])),
    );
    const replies = await Promise.all(batches);
    expect(replies.flat()).toEqual(Array.from({ length: 2000 }, (_, i) => String(i * 1.5)));
    // A command's error is a reply of its batch, the connection stays.
    const [err, ok] = await s.send([['NOSUCHCOMMAND'], ['GET', 'usage:cost:total:k3']]);
    expect(err).toBeInstanceOf(RedisReplyError);
    expect(ok).toBe('4.5');
  });

  it('logs in as the URL’s user, selects its database, and fails a refused login as an error', async () => {
    await admin.select(3);
    await admin.set('in-db-3', 'yes');
    await admin.select(0);
    const s = open(`redis://reader:reader-secret@127.0.0.1:${server.port}/3`);
    expect(await s.send([['GET', 'in-db-3']])).toEqual(['yes']);
    const wrong = open(`redis://reader:not-the-secret@127.0.0.1:${server.port}`);
    await expect(wrong.send([['GET', 'x']])).rejects.toThrow(/WRONGPASS/);
  });

  it('fails what waited when the connection drops, and the next batch reconnects', async () => {
    const s = open(server.url);
    const [id] = (await s.send([['CLIENT', 'ID']])) as number[];
    // BLPOP keeps the batch waiting while Redis drops the connection under it.
    const waiting = s.send([['BLPOP', 'nothing-will-come', '5']]).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await new Promise((r) => setTimeout(r, 50));
    await admin.call('CLIENT', 'KILL', 'ID', String(id));
    expect(await waiting).toMatch(/closed|reset/);
    expect(await s.send([['ECHO', 'again']])).toEqual(['again']);
  });

  it('fails within its timeout when Redis accepts the connection but never answers', async () => {
    const hung = net.createServer(() => {});
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const { port } = hung.address() as net.AddressInfo;
    const s = open(`redis://127.0.0.1:${port}`, 300);
    const before = errors.length;
    await expect(s.send([['GET', 'x']])).rejects.toThrow(/no answer from CRS's Redis within 300 ms/);
    expect(errors.length).toBe(before + 1);
    // Nobody listening: the connection itself fails.
    hung.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(s.send([['GET', 'x']])).rejects.toThrow(/ECONNREFUSED|closed/);
  });
});
