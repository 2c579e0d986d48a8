/**
 * The Redis protocol (RESP2) as far as the direct reader needs it (docs/decisions/039): replies parsed as they
 * arrive (commands are encoded by src/lib/redis-wire.ts). A sync at 100,000 keys sends about a million small read
 * commands; through a general client each costs an object, a promise and a callback (measured: a third of the
 * cycle's CPU and most of its garbage). Here a pipeline is one string written once and its replies one pass over
 * the bytes.
 */

/** An error reply (`-ERR …`, `-NOPERM …`): the command failed, the connection is fine. */
export class RedisReplyError extends Error {
  override name = 'RedisReplyError';
}

const INCOMPLETE: unique symbol = Symbol('incomplete');
type Reply = string | number | null | RedisReplyError | Reply[];
/** The parser's buffer to start with: a few socket reads' worth; it grows only for a larger reply. */
const INITIAL = 256 * 1024;
const CR = 13;

/**
 * Parses replies from the bytes of a connection, chunk by chunk: each complete top-level reply is handed to
 * `onReply`; a reply cut by the chunk's end is parsed again, whole, once more bytes arrived (replies here are
 * small: a hash's fields, an SSCAN step). The bytes go through one buffer the parser keeps and reuses — the
 * strings it makes are copies — so a cycle's hundreds of MB of replies make no garbage of their own.
 */
export class ReplyParser {
  #buf: Buffer = Buffer.allocUnsafe(INITIAL);
  /** The unparsed bytes are #buf[#pos, #end). */
  #pos = 0;
  #end = 0;

  constructor(private readonly onReply: (reply: Reply) => void) {}

  feed(chunk: Buffer): void {
    this.#append(chunk);
    for (;;) {
      const start = this.#pos;
      const reply = this.#read();
      if (reply === INCOMPLETE) {
        this.#pos = start;
        break;
      }
      this.onReply(reply);
    }
    if (this.#pos === this.#end) this.#pos = this.#end = 0;
  }

  /** Drops any partial reply (the connection it came from is gone). */
  reset(): void {
    this.#pos = this.#end = 0;
    if (this.#buf.length > INITIAL) this.#buf = Buffer.allocUnsafe(INITIAL);
  }

  #append(chunk: Buffer): void {
    if (this.#end + chunk.length > this.#buf.length) {
      const pending = this.#end - this.#pos;
      const target =
        pending + chunk.length > this.#buf.length ? Buffer.allocUnsafe(2 * (pending + chunk.length)) : this.#buf;
      this.#buf.copy(target, 0, this.#pos, this.#end);
      this.#buf = target;
      this.#pos = 0;
      this.#end = pending;
    }
    chunk.copy(this.#buf, this.#end);
    this.#end += chunk.length;
  }

  #read(): Reply | typeof INCOMPLETE {
    const buf = this.#buf;
    const at = this.#pos;
    const limit = this.#end;
    if (at >= limit) return INCOMPLETE;
    const end = buf.indexOf(CR, at + 1);
    if (end < 0 || end + 1 >= limit) return INCOMPLETE;
    const type = buf[at];
    if (type === 0x24 /* $ */) {
      const n = this.#int(at + 1, end);
      if (n < 0) {
        this.#pos = end + 2;
        return null;
      }
      const from = end + 2;
      if (from + n + 2 > limit) return INCOMPLETE;
      this.#pos = from + n + 2;
      return buf.toString('utf8', from, from + n);
    }
    if (type === 0x2a /* * */) {
      const n = this.#int(at + 1, end);
      this.#pos = end + 2;
      if (n < 0) return null;
      const items: Reply[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const item = this.#read();
        if (item === INCOMPLETE) return INCOMPLETE;
        items[i] = item;
      }
      return items;
    }
    this.#pos = end + 2;
    if (type === 0x3a /* : */) return this.#int(at + 1, end);
    if (type === 0x2b /* + */) return buf.toString('utf8', at + 1, end);
    if (type === 0x2d /* - */) return new RedisReplyError(buf.toString('utf8', at + 1, end));
    throw new Error(`not a Redis reply (type byte ${type})`);
  }

  #int(from: number, to: number): number {
    const buf = this.#buf;
    const negative = buf[from] === 0x2d;
    let n = 0;
    for (let i = negative ? from + 1 : from; i < to; i++) n = n * 10 + (buf[i] - 0x30);
    return negative ? -n : n;
  }
}
