/**
 * Compact counters. A per-key table is one Float64Array of fixed-width rows scanned from the end (writes are
 * nearly always to the newest bucket), because 100,000 keys × 30 days × models as objects or Map entries would
 * cost gigabytes. Global tables are few rows but hit by every key, so they are indexed by a Map.
 *
 * Row: [period, model, requests, input, output, cacheCreate, cacheRead, costMicro, lastWriteMs]. A bucket is
 * alive while `now - lastWrite < ttl`: CRS re-arms a Redis TTL at every write (docs/crs.md §9.2).
 */
export const W = 9;
export const R_REQ = 2;
export const R_IN = 3;
export const R_OUT = 4;
export const R_CC = 5;
export const R_CR = 6;
export const R_MICRO = 7;
export const R_LAST = 8;

export interface Counts {
  requests: number;
  input: number;
  output: number;
  cacheCreate: number;
  cacheRead: number;
  micro: number;
}

export function zeroCounts(): Counts {
  return { requests: 0, input: 0, output: 0, cacheCreate: 0, cacheRead: 0, micro: 0 };
}

export function addRow(c: Counts, d: Float64Array, o: number): void {
  c.requests += d[o + R_REQ];
  c.input += d[o + R_IN];
  c.output += d[o + R_OUT];
  c.cacheCreate += d[o + R_CC];
  c.cacheRead += d[o + R_CR];
  c.micro += d[o + R_MICRO];
}

export class RowTable {
  d: Float64Array;
  n = 0;
  /** True while rows were appended in period order (always, except for back-dated writes): reads stop early. */
  sorted = true;

  constructor(
    readonly ttl: number,
    cap = 4,
  ) {
    this.d = new Float64Array(cap * W);
  }

  /** Adds to bucket (period, model) at event time ts; skipped when CRS would already have expired it by `now`. */
  add(period: number, model: number, ts: number, now: number, c: Counts): void {
    if (now - ts >= this.ttl) return;
    let o = this.find(period, model);
    if (o >= 0 && ts - this.d[o + R_LAST] >= this.ttl) this.d.fill(0, o + R_REQ, o + W);
    if (o < 0) o = this.insert(period, model, now);
    // Read after insert: growing replaces the array.
    const d = this.d;
    d[o + R_REQ] += c.requests;
    d[o + R_IN] += c.input;
    d[o + R_OUT] += c.output;
    d[o + R_CC] += c.cacheCreate;
    d[o + R_CR] += c.cacheRead;
    d[o + R_MICRO] += c.micro;
    if (ts > d[o + R_LAST]) d[o + R_LAST] = ts;
  }

  /** Room for `rows` rows without regrowing (bulk seeding); `KeyUsage.shrink` gives spare room back. */
  reserve(rows: number): void {
    if (rows * W <= this.d.length) return;
    const bigger = new Float64Array(rows * W);
    bigger.set(this.d.subarray(0, this.n * W));
    this.d = bigger;
  }

  find(period: number, model: number): number {
    const d = this.d;
    for (let o = (this.n - 1) * W; o >= 0; o -= W) {
      if (d[o] === period && d[o + 1] === model) return o;
    }
    return -1;
  }

  alive(o: number, now: number): boolean {
    return now - this.d[o + R_LAST] < this.ttl;
  }

  private insert(period: number, model: number, now: number): number {
    if ((this.n + 1) * W > this.d.length) {
      this.compact(now);
      if ((this.n + 1) * W > this.d.length) {
        const bigger = new Float64Array(this.d.length * 2);
        bigger.set(this.d);
        this.d = bigger;
      }
    }
    const o = this.n * W;
    if (this.n > 0 && period < this.d[o - W]) this.sorted = false;
    this.d.fill(0, o, o + W);
    this.d[o] = period;
    this.d[o + 1] = model;
    this.n++;
    return o;
  }

  /** Drops expired rows, keeping order (rows stay roughly sorted by period). */
  compact(now: number): void {
    const d = this.d;
    let w = 0;
    for (let o = 0; o < this.n * W; o += W) {
      if (now - d[o + R_LAST] >= this.ttl) continue;
      if (w !== o) d.copyWithin(w, o, o + W);
      w += W;
    }
    this.n = w / W;
  }

  toJSON(): { ttl: number; rows: number[] } {
    return { ttl: this.ttl, rows: Array.from(this.d.subarray(0, this.n * W)) };
  }

  static fromJSON(j: { ttl: number; rows: number[] }): RowTable {
    const t = new RowTable(j.ttl, Math.max(4, j.rows.length / W));
    t.d.set(j.rows);
    t.n = j.rows.length / W;
    for (let o = W; o < t.n * W; o += W) if (t.d[o] < t.d[o - W]) t.sorted = false;
    return t;
  }
}

/** Global buckets by period, then model id: a handful of rows per day, hour or month, hit by every key. */
export class MapTable {
  m = new Map<number, Float64Array[]>();
  private inserts = 0;

  constructor(readonly ttl: number) {}

  add(period: number, model: number, ts: number, now: number, c: Counts): void {
    if (now - ts >= this.ttl) return;
    let rows = this.m.get(period);
    if (!rows) {
      // Pruned before the new period goes in: pruning after would drop it, still empty, with this very write.
      if (++this.inserts % 64 === 0) this.prune(now);
      rows = [];
      this.m.set(period, rows);
    }
    let row = rows[model];
    if (row && ts - row[R_LAST] >= this.ttl) row.fill(0, R_REQ);
    if (!row) {
      row = new Float64Array(W);
      row[0] = period;
      row[1] = model;
      rows[model] = row;
    }
    row[R_REQ] += c.requests;
    row[R_IN] += c.input;
    row[R_OUT] += c.output;
    row[R_CC] += c.cacheCreate;
    row[R_CR] += c.cacheRead;
    row[R_MICRO] += c.micro;
    if (ts > row[R_LAST]) row[R_LAST] = ts;
  }

  /** Alive rows of one period, one per model. */
  rowsOf(period: number, now: number): Float64Array[] {
    const rows = this.m.get(period);
    if (!rows) return [];
    return rows.filter((row) => row && now - row[R_LAST] < this.ttl);
  }

  prune(now: number): void {
    for (const [period, rows] of this.m) {
      if (rows.every((row) => !row || now - row[R_LAST] >= this.ttl)) this.m.delete(period);
    }
  }

  toJSON(): number[][] {
    const out: number[][] = [];
    for (const rows of this.m.values()) for (const row of rows) if (row) out.push(Array.from(row));
    return out;
  }

  load(rows: number[][]): void {
    for (const r of rows) {
      let list = this.m.get(r[0]);
      if (!list) {
        list = [];
        this.m.set(r[0], list);
      }
      list[r[1]] = Float64Array.from(r);
    }
  }
}
