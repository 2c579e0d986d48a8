import { Histogram, type LabelValues, type Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

interface Series {
  labels: { method: string; route: string; status: number };
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * The request-latency histogram, observed on every request (the warm reads included, docs/decisions/008):
 * prom-client's `observe` hashes the label object on each call (~1 µs, a few per cent of a warm read), so the
 * series are kept here — one map lookup and a bucket increment — and handed to prom-client's registry in its own
 * format when scraped. Exposition and `get()` are a prom-client histogram's.
 */
export class RequestHistogram extends Histogram<Label> {
  readonly #bounds: number[];
  readonly #series = new Map<string, Series>();
  readonly #name: string;
  /** An empty histogram of the same name and buckets: prom-client's metadata for what this one exports. */
  readonly #shape: Histogram<Label>;

  constructor(o: { name: string; help: string; buckets: number[]; registry: Registry }) {
    super({ name: o.name, help: o.help, labelNames: ['method', 'route', 'status'], buckets: o.buckets, registers: [] });
    this.#bounds = [...o.buckets].sort((a, b) => a - b);
    this.#name = o.name;
    this.#shape = new Histogram({
      name: o.name,
      help: o.help,
      labelNames: ['method', 'route', 'status'],
      registers: [],
    });
    // prom-client's constructor sets `observe` on the instance, over any subclass's method: put ours back.
    this.observe = RequestHistogram.prototype.observe;
    o.registry.registerMetric(this);
  }

  /** One request: `seconds` for this method, route template and status. */
  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let s = this.#series.get(key);
    if (s === undefined) {
      s = {
        labels: { method, route, status },
        counts: new Float64Array(this.#bounds.length + 1),
        sum: 0,
        count: 0,
      };
      this.#series.set(key, s);
    }
    let b = 0;
    while (b < this.#bounds.length && seconds > this.#bounds[b]) b++;
    s.counts[b]++;
    s.sum += seconds;
    s.count++;
  }

  override observe(
    ...args: [number] | [LabelValues<Label>, number] | [{ labels?: LabelValues<Label>; value: number }]
  ): void {
    if (args.length === 2) {
      const l = args[0];
      this.record(String(l.method ?? ''), String(l.route ?? ''), Number(l.status ?? 0), args[1]);
      return;
    }
    const v = args[0];
    if (typeof v === 'number') this.record('', '', 0, v);
    else
      this.record(
        String(v.labels?.method ?? ''),
        String(v.labels?.route ?? ''),
        Number(v.labels?.status ?? 0),
        v.value,
      );
  }

  override async get() {
    const base = await this.#shape.get();
    // This histogram's series, laid out as prom-client lays a histogram out (`le` in each bucket's labels).
    const values: typeof base.values = [];
    for (const s of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.#bounds.length; i++) {
        cumulative += s.counts[i];
        const bucket = { le: i < this.#bounds.length ? this.#bounds[i] : '+Inf', ...s.labels };
        // As prom-client's own buckets: with an (empty) exemplar.
        const value = { labels: bucket, value: cumulative, metricName: `${this.#name}_bucket`, exemplar: null };
        values.push(value);
      }
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.#name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.#name}_count` });
    }
    return { ...base, values };
  }

  /** What the registry exports (prom-client asks for this one when it exists). */
  getForPromString() {
    return this.get();
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor resets too, before this class's fields exist.
    if (#series in this) this.#series.clear();
  }
}
