/**
 * Structural comparison of JSON documents: same keys recursively, same JSON types. Arrays are compared through
 * the merged shape of their elements (a key present in only some expected elements is optional); objects whose
 * keys are all UUIDs are id-keyed maps (batch-stats `data`, trend `apiKeys`) and compared by their values.
 */
export type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'map';

export interface Shape {
  kinds: Set<Kind>;
  /** Number of values merged into this shape. */
  n: number;
  /** Object keys → shape and in how many of the merged objects the key occurs. */
  keys: Map<string, { shape: Shape; count: number }>;
  objects: number;
  el?: Shape;
  /** Values of id-keyed maps. */
  mapEl?: Shape;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function empty(): Shape {
  return { kinds: new Set(), n: 0, keys: new Map(), objects: 0 };
}

export function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    return keys.length > 0 && keys.every((k) => UUID.test(k)) ? 'map' : 'object';
  }
  return typeof v as Kind;
}

/** Adds value `v` to shape `s` (a new shape when omitted). */
export function shapeOf(v: unknown, s: Shape = empty()): Shape {
  const k = kindOf(v);
  s.kinds.add(k);
  s.n++;
  if (k === 'array') {
    for (const e of v as unknown[]) s.el = shapeOf(e, s.el);
  } else if (k === 'map') {
    for (const e of Object.values(v as object)) s.mapEl = shapeOf(e, s.mapEl);
  } else if (k === 'object') {
    s.objects++;
    for (const [key, e] of Object.entries(v as object)) {
      const slot = s.keys.get(key);
      if (slot) {
        shapeOf(e, slot.shape);
        slot.count++;
      } else s.keys.set(key, { shape: shapeOf(e), count: 1 });
    }
  }
  return s;
}

const kindsText = (kinds: Set<Kind>) => [...kinds].sort().join('|');

/** Differences between an expected (captured) document and an actual one, as "path: problem" lines. */
export function compareShape(expected: unknown, actual: unknown): string[] {
  const out: string[] = [];
  compare(shapeOf(expected), shapeOf(actual), '$', out);
  return out;
}

function compare(exp: Shape, act: Shape, path: string, out: string[]): void {
  // An empty object is what an id-keyed map looks like when it has no entries.
  const norm = (k: Set<Kind>, other: Set<Kind>) =>
    new Set([...k].map((x) => (x === 'object' && other.has('map') ? 'map' : x)));
  const ek = norm(exp.kinds, act.kinds);
  const ak = norm(act.kinds, exp.kinds);
  const extra = [...ak].filter((k) => !ek.has(k));
  if (extra.length) {
    out.push(`${path}: expected ${kindsText(exp.kinds)}, got ${kindsText(act.kinds)}`);
    return;
  }
  if (exp.el && act.el) compare(exp.el, act.el, `${path}[]`, out);
  else if (exp.el && !act.el && ak.has('array')) out.push(`${path}: expected a non-empty array, got []`);
  if (exp.mapEl && act.mapEl) compare(exp.mapEl, act.mapEl, `${path}.<id>`, out);
  if (exp.objects > 0 && act.objects > 0) {
    for (const [key, a] of act.keys) {
      const e = exp.keys.get(key);
      if (!e) out.push(`${path}.${key}: unexpected key`);
      else compare(e.shape, a.shape, `${path}.${key}`, out);
    }
    for (const [key, e] of exp.keys) {
      const required = e.count === exp.objects;
      const a = act.keys.get(key);
      if (required && !a) out.push(`${path}.${key}: missing key`);
      else if (required && a && a.count < act.objects) out.push(`${path}.${key}: missing in some elements`);
    }
  }
}
