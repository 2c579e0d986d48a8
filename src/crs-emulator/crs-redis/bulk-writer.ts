import net from 'node:net';
import tls from 'node:tls';
import type { Redis } from 'ioredis';
import { encodeCommand, helloCommands, parseRedisUrl, type RedisAddress } from '../../lib/redis-wire.js';

/** Where a snapshot writes: a URL, or the address and credentials of an ioredis client. */
export type RedisTarget = string | Redis;

function address(target: RedisTarget): RedisAddress {
  if (typeof target === 'string') return parseRedisUrl(target);
  const o = target.options;
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6379,
    tls: Boolean(o.tls),
    username: o.username || undefined,
    password: o.password || undefined,
    db: o.db ?? 0,
  };
}

/** Bytes of encoded commands gathered before a socket write: a few thousand commands per write. */
const CHUNK_CHARS = 256 * 1024;
/** Commands sent and not yet answered before `pace()` waits: a few such writes in flight. */
const MAX_IN_FLIGHT = 20_000;

/**
 * The snapshot's connection: commands encoded straight into RESP text and written in large chunks on one socket,
 * replies only counted. Every command a snapshot sends answers with one line (an integer, OK or an error), so
 * counting lines is a complete reading of the replies — and building a client library's command objects for tens
 * of millions of writes would cost more than Redis takes to execute them. Back-pressure: `pace()` waits while
 * more than MAX_IN_FLIGHT commands are unanswered, so neither side buffers more than a few megabytes.
 */
export class BulkWriter {
  private out = '';
  private sent = 0;
  private answered = 0;
  private failure: Error | undefined;
  private closed: Error | undefined;
  private wake: (() => void) | undefined;
  /** Commands whose reply line is wanted (DBSIZE), by their position in the stream. */
  private readonly wanted = new Map<number, (line: string) => void>();
  private partial = '';

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const gone = (e?: Error) => {
      this.closed ??= e ?? new Error('the Redis connection closed during the snapshot');
      this.wake?.();
    };
    socket.on('error', gone);
    socket.on('close', () => gone());
  }

  static async connect(target: RedisTarget): Promise<BulkWriter> {
    const a = address(target);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = a.tls
        ? tls.connect({ host: a.host, port: a.port, servername: a.host }, () => resolve(s))
        : net.connect({ host: a.host, port: a.port }, () => resolve(s));
      s.once('error', reject);
    });
    socket.setNoDelay(true);
    const w = new BulkWriter(socket);
    for (const c of helloCommands(a)) w.send(...c);
    return w;
  }

  /** Queues one command. */
  send(...args: Array<string | number>): void {
    this.out += encodeCommand(args);
    this.sent++;
    if (this.out.length >= CHUNK_CHARS) this.write();
  }

  get inFlight(): number {
    return this.sent - this.answered;
  }

  get commands(): number {
    return this.sent;
  }

  /** Waits while too many commands are unanswered; throws the first error reply or a lost connection. */
  async pace(limit = MAX_IN_FLIGHT): Promise<void> {
    this.write();
    while (this.sent - this.answered > limit && !this.closed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    this.check();
  }

  /** One integer reply (DBSIZE), after everything queued before it. */
  async integer(...args: Array<string | number>): Promise<number> {
    const line = new Promise<string>((resolve) => this.wanted.set(this.sent, resolve));
    this.send(...args);
    await this.pace(0);
    return Number((await line).slice(1));
  }

  /** Waits for every reply, then closes the connection. */
  async end(): Promise<void> {
    try {
      await this.pace(0);
    } finally {
      this.socket.end();
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private write(): void {
    if (!this.out) return;
    this.socket.write(this.out);
    this.out = '';
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.closed && this.sent > this.answered) throw this.closed;
  }

  private onData(chunk: Buffer): void {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      const first = from === 0 && this.partial ? this.partial.charCodeAt(0) : chunk[from];
      // `-`: an error reply; the first one is kept and thrown by pace().
      if (first === 45 || this.wanted.has(this.answered)) {
        const line = (from === 0 ? this.partial : '') + chunk.toString('utf8', from, nl - 1);
        if (first === 45) this.failure ??= new Error(`Redis refused a snapshot write: ${line.slice(1)}`);
        this.wanted.get(this.answered)?.(line);
        this.wanted.delete(this.answered);
      }
      if (from === 0) this.partial = '';
      this.answered++;
      from = nl + 1;
    }
    if (from < chunk.length) this.partial += chunk.toString('latin1', from);
    if (this.wake && this.sent - this.answered <= MAX_IN_FLIGHT / 2) {
      const wake = this.wake;
      this.wake = undefined;
      wake();
    }
  }
}
