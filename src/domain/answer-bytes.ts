/**
 * Warm answers as the bytes they are sent as (docs/decisions/008, 003). A cached answer is a JSON string; sent as
 * one, the HTTP layer measures it (content-length) and encodes it to UTF-8 on every request — for the 3–7 KB of a
 * usage or compare answer, a good part of a warm read's cost. The cache hands the same string object back on each
 * hit, so its encoding is kept here, keyed by that string (whose hash V8 keeps with it), together with the
 * freshness it was closed with. Bounded by `maxBytes`: the answers encoded longest ago are dropped first and
 * encoded again on demand.
 */
interface Encoded {
  /** The freshness the bytes were closed with (undefined: the text is sent as it is). */
  asOf: string | null | undefined;
  stale: boolean;
  bytes: Buffer;
}

export class AnswerBytes {
  readonly #memo = new Map<string, Encoded>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** `text` as UTF-8. */
  of(text: string): Buffer {
    const m = this.#memo.get(text);
    if (m !== undefined && m.asOf === undefined) return m.bytes;
    return this.#keep(text, undefined, false, Buffer.from(text));
  }

  /**
   * An open answer (JSON without its last `}`) closed with the freshness fields, as UTF-8: what `close` would
   * answer, encoded once per answer and freshness.
   */
  closed(open: string, asOf: string | null, stale: boolean, close: () => string): Buffer {
    const m = this.#memo.get(open);
    if (m !== undefined && m.asOf === asOf && m.stale === stale) return m.bytes;
    return this.#keep(open, asOf, stale, Buffer.from(close()));
  }

  #keep(key: string, asOf: string | null | undefined, stale: boolean, bytes: Buffer): Buffer {
    const old = this.#memo.get(key);
    if (old) {
      this.#bytes -= old.bytes.length + key.length;
      this.#memo.delete(key);
    }
    const size = bytes.length + key.length;
    // Oldest first (a Map iterates in insertion order): a new answer pushes out the answers encoded longest ago,
    // never all of them at once — a working set that fits stays encoded while older ones go.
    for (const [k, e] of this.#memo) {
      if (this.#bytes + size <= this.maxBytes) break;
      this.#memo.delete(k);
      this.#bytes -= e.bytes.length + k.length;
    }
    if (size <= this.maxBytes) {
      this.#memo.set(key, { asOf, stale, bytes });
      this.#bytes += size;
    }
    return bytes;
  }
}
