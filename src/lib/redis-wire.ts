/**
 * What the project's two raw Redis connections share — the direct reader's (src/infra/crs-redis/socket.ts) and the
 * emulator's bulk writer (src/crs-emulator/crs-redis/bulk-writer.ts): where to connect, how to log in, and the
 * protocol's command encoding. Both write RESP themselves because they send millions of commands (decision 039).
 */

/** Where and as whom to connect to a Redis: `redis[s]://[user][:password]@host[:port][/db]`, as ioredis reads it. */
export interface RedisAddress {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
}

export function parseRedisUrl(url: string): RedisAddress {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`not a redis:// URL: ${u.protocol}`);
  const db = Number(u.pathname.replace(/^\//, '') || 0);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(u.port || 6379),
    tls: u.protocol === 'rediss:',
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) && db >= 0 ? db : 0,
  };
}

/** The commands a new connection sends first: AUTH when the address has a password, SELECT when a database. */
export function helloCommands(a: RedisAddress): string[][] {
  const out: string[][] = [];
  if (a.password) out.push(a.username ? ['AUTH', a.username, a.password] : ['AUTH', a.password]);
  if (a.db) out.push(['SELECT', String(a.db)]);
  return out;
}

/** One command, RESP-encoded: `*<n>\r\n` then `$<bytes>\r\n<arg>\r\n` per argument. */
export function encodeCommand(args: ReadonlyArray<string | number>): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const a = typeof arg === 'string' ? arg : String(arg);
    out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  }
  return out;
}

/** Several commands, one string to write at once (a pipeline). */
export function encodeCommands(commands: ReadonlyArray<ReadonlyArray<string | number>>): string {
  let out = '';
  for (const c of commands) out += encodeCommand(c);
  return out;
}
