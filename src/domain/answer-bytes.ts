/**
 * Warm answers as the bytes they are sent as (docs/decisions/008, 003). A cached answer is a JSON string; sent as
 * one, the HTTP layer measures it (content-length) and encodes it to UTF-8 on every request — for the 3–20 KB of a
 * usage, compare or summary answer, a good part of a warm read's cost. The cache hands the same string object back
 * on each hit, so its encoding is kept here, keyed by that string (whose hash V8 keeps with it), together with the
 * freshness it was closed with. Bounded by `maxBytes`, see `#keep` for what makes room.
 */
interface Encoded {
  /** The freshness the bytes were closed with (undefined: the text is sent as it is). */
  asOf: string | null | undefined;
  stale: boolean;
  bytes: Buffer;
  /** When it was last read (ms): what makes it evictable, and its place in the map's order. */
  used: number;
}

/** Not read for this long: an answer may be dropped to make room for a new one. */
export const IDLE_MS = 2_000;
/** A read moves its answer to the back of the map's order at most this often (a Map delete and set). */
const REORDER_MS = 500;

export class AnswerBytes {
  readonly #memo = new Map<string, Encoded>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** `text` as UTF-8. */
  of(text: string): Buffer {
    const m = this.#memo.get(text);
    if (m !== undefined && m.asOf === undefined) return this.#read(text, m);
    return this.#keep(text, undefined, false, Buffer.from(text));
  }

  /**
   * An open answer (JSON without its last `}`) closed with the freshness fields, as UTF-8: what `close` would
   * answer, encoded once per answer and freshness.
   */
  closed(open: string, asOf: string | null, stale: boolean, close: () => string): Buffer {
    const m = this.#memo.get(open);
    if (m !== undefined && m.asOf === asOf && m.stale === stale) return this.#read(open, m);
    return this.#keep(open, asOf, stale, Buffer.from(close()));
  }

  #read(key: string, m: Encoded): Buffer {
    const now = Date.now();
    // The map's order follows the reads (to within REORDER_MS): its first entry is the one read longest ago.
    if (now - m.used >= REORDER_MS) {
      this.#memo.delete(key);
      this.#memo.set(key, m);
    }
    m.used = now;
    return m.bytes;
  }

  /**
   * Keeps a new encoding when there is room, or room can be made by dropping answers not read for IDLE_MS (those
   * read longest ago first). Otherwise the new bytes are sent without being kept: when more answers are read in
   * rotation than fit (a thousand users' summaries), dropping the oldest for each newcomer would push out every
   * answer just before it is read again, and every read would encode; this way the answers kept stay kept.
   */
  #keep(key: string, asOf: string | null | undefined, stale: boolean, bytes: Buffer): Buffer {
    const old = this.#memo.get(key);
    if (old) {
      this.#bytes -= old.bytes.length + key.length;
      this.#memo.delete(key);
    }
    const size = bytes.length + key.length;
    if (size > this.maxBytes) return bytes;
    const now = Date.now();
    for (const [k, e] of this.#memo) {
      if (this.#bytes + size <= this.maxBytes) break;
      if (now - e.used < IDLE_MS) return bytes;
      this.#memo.delete(k);
      this.#bytes -= e.bytes.length + k.length;
    }
    if (this.#bytes + size > this.maxBytes) return bytes;
    this.#memo.set(key, { asOf, stale, bytes, used: now });
    this.#bytes += size;
    return bytes;
  }
}
