import { addRow, type Counts, R_LAST, type RowTable, W, zeroCounts } from '../buckets.js';
import type { BulkWriter } from './bulk-writer.js';

/** Members of index sets gathered across keys before one SADD each: a few thousand per flush. */
const MEMBERS_PER_FLUSH = 4096;

/**
 * The snapshot's writes of final values (docs/crs.md §9): a hash (HSET) or a float (SET) with what is left now of
 * the TTL CRS armed at its newest write — the mirror's PEXPIRE NX + GT leaves exactly that — and nothing for a
 * key CRS would already have dropped. Index sets are filled across keys (one SADD per set per flush) and get
 * their TTL at the end, from the newest write the global tables saw for their period (`indexTtl`).
 */
export class SnapshotWrites {
  private pending = new Map<string, string[]>();
  private pendingCount = 0;
  /** Index set → its TTL left now (ms, null: none); a set not named here is not written (no alive period). */
  readonly indexTtl = new Map<string, number | null>();

  constructor(
    readonly out: BulkWriter,
    readonly now: number,
  ) {}

  /** What is left now of `ttl` armed at `last`; ≤ 0 when CRS would already have dropped the key. */
  left(ttl: number, last: number): number {
    return ttl - (this.now - last);
  }

  hash(key: string, fields: ReadonlyArray<readonly [string, number]>, ttl: number | null, last: number): void {
    const left = ttl === null ? 0 : this.left(ttl, last);
    if (ttl !== null && left <= 0) return;
    const args: Array<string | number> = ['HSET', key];
    for (const [f, v] of fields) args.push(f, v);
    this.out.send(...args);
    if (ttl !== null) this.out.send('PEXPIRE', key, left);
  }

  /** CRS's cost keys hold an INCRBYFLOAT result; a float's text differs from Redis's only in formatting. */
  float(key: string, value: number, ttl: number | null, last: number): void {
    if (ttl === null) {
      this.out.send('SET', key, String(value));
      return;
    }
    const left = this.left(ttl, last);
    if (left > 0) this.out.send('SET', key, String(value), 'PX', left);
  }

  /** Declares an index set alive with the TTL of its newest write (null: no TTL). */
  index(key: string, ttl: number | null, last: number): void {
    if (ttl === null) {
      this.indexTtl.set(key, null);
      return;
    }
    const left = this.left(ttl, last);
    if (left > 0) this.indexTtl.set(key, Math.max(left, this.indexTtl.get(key) ?? 0));
  }

  /** A member of an index set, if the set is alive. */
  member(key: string, member: string): void {
    if (!this.indexTtl.has(key)) return;
    let list = this.pending.get(key);
    if (!list) {
      list = [];
      this.pending.set(key, list);
    }
    list.push(member);
    if (++this.pendingCount >= MEMBERS_PER_FLUSH) this.flushMembers();
  }

  flushMembers(): void {
    for (const [key, members] of this.pending) this.out.send('SADD', key, ...members);
    this.pending.clear();
    this.pendingCount = 0;
  }

  /** The index sets' TTLs, once every member is in. */
  finishIndexes(): void {
    this.flushMembers();
    for (const [key, left] of this.indexTtl) if (left !== null) this.out.send('PEXPIRE', key, left);
  }
}

/**
 * Visits the rows of `table` a period at a time, oldest period first: `rows` holds the offsets of that period's
 * rows (one per model), `sum` their counters and `last` their newest write — what the period's key-level bucket
 * received, since CRS writes it with every model bucket of the same request.
 */
export function eachPeriod(
  table: RowTable,
  visit: (period: number, rows: number[], sum: Counts, last: number) => void,
): void {
  const d = table.d;
  const offsets: number[] = [];
  for (let o = 0; o < table.n * W; o += W) offsets.push(o);
  // Rows appended in period order keep a period's rows together; otherwise a stable sort does.
  if (!table.sorted) offsets.sort((a, b) => d[a] - d[b]);
  for (let i = 0; i < offsets.length; ) {
    const period = d[offsets[i]];
    const rows: number[] = [];
    const sum = zeroCounts();
    let last = 0;
    for (; i < offsets.length && d[offsets[i]] === period; i++) {
      const o = offsets[i];
      rows.push(o);
      addRow(sum, d, o);
      if (d[o + R_LAST] > last) last = d[o + R_LAST];
    }
    visit(period, rows, sum, last);
  }
}
