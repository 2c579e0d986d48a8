import { describe, expect, it } from 'vitest';
import { JsonScanner, JsonStreamError } from '../../src/infra/crs/json-stream.js';

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STRINGS = [
  '',
  'a',
  'portal-bob-ci',
  'quote " inside',
  'back\\slash',
  'ünïcødé',
  '键名',
  '😀 emoji',
  '\n\t\u0001',
  '{[,]}:',
];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.35) {
    const p = r();
    if (p < 0.2) return Math.round(r() * 1e6) - 5e5;
    if (p < 0.35) return r() * 1e3;
    if (p < 0.45) return 1.5e-7;
    if (p < 0.55) return r() < 0.5;
    if (p < 0.6) return null;
    return STRINGS[Math.floor(r() * STRINGS.length)];
  }
  if (pick < 0.65) return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--)
    o[`${STRINGS[Math.floor(r() * STRINGS.length)]}${i}`] = randomValue(r, depth + 1);
  return o;
}

/** Every value at exactly `depth` (the root is depth 0), in document order, with its path. */
function valuesAt(v: unknown, depth: number, path: (string | number)[] = []): Array<[string, unknown]> {
  if (path.length === depth) return [[JSON.stringify(path), v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => valuesAt(x, depth, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => valuesAt(x, depth, [...path, k]));
  return [];
}

function scan(text: string, depth: number, chunkSizes: () => number) {
  const got: Array<[string, unknown]> = [];
  const scanner = new JsonScanner({
    select: (p) => p.length === depth,
    onValue: (p, v) => got.push([JSON.stringify(p), v]),
  });
  for (let i = 0; i < text.length; ) {
    const n = Math.max(1, chunkSizes());
    scanner.write(text.slice(i, i + n));
    i += n;
  }
  scanner.end();
  return got;
}

describe('JsonScanner', () => {
  it('yields exactly what JSON.parse sees at the selected depth, whatever the chunking (300 random documents)', () => {
    const r = rng(42);
    for (let n = 0; n < 300; n++) {
      const doc = { data: randomValue(r, 0), more: [randomValue(r, 1), randomValue(r, 1)] };
      const text = JSON.stringify(doc, null, n % 3 === 0 ? 2 : undefined);
      for (const depth of [1, 2, 3]) {
        const expected = valuesAt(doc, depth);
        expect(scan(text, depth, () => Math.floor(r() * 7))).toEqual(expected);
        expect(scan(text, depth, () => text.length)).toEqual(expected);
      }
    }
  });

  it('reads the shape of CRS’s per-key trend one key entry at a time, keys decoded', () => {
    const doc = {
      success: true,
      data: [
        { date: '2026-11-20', apiKeys: { 'a-1': { name: 'x', tokens: 5, requests: 1, cost: 0.5 }, 'b\\"2': {} } },
        { date: '2026-11-21', apiKeys: {} },
      ],
    };
    const seen: unknown[] = [];
    const opened: string[] = [];
    const s = new JsonScanner({
      select: (p) => (p.length === 3 && p[2] === 'date') || (p.length === 4 && p[2] === 'apiKeys'),
      onValue: (p, v) => seen.push([...p, v]),
      onOpen: (p, isArray) => opened.push(`${p.join('.')}:${isArray}`),
    });
    s.write(JSON.stringify(doc));
    s.end();
    expect(seen).toEqual([
      ['data', 0, 'date', '2026-11-20'],
      ['data', 0, 'apiKeys', 'a-1', { name: 'x', tokens: 5, requests: 1, cost: 0.5 }],
      ['data', 0, 'apiKeys', 'b\\"2', {}],
      ['data', 1, 'date', '2026-11-21'],
    ]);
    expect(opened).toEqual([
      ':false',
      'data:true',
      'data.0:false',
      'data.0.apiKeys:false',
      'data.1:false',
      'data.1.apiKeys:false',
    ]);
  });

  it('captures top-level and selected primitives, including ones split across chunks', () => {
    expect(scan('123456', 0, () => 2)).toEqual([['[]', 123456]]);
    expect(scan('[1.25e3, true, null, "s"]', 1, () => 1)).toEqual([
      ['[0]', 1250],
      ['[1]', true],
      ['[2]', null],
      ['[3]', 's'],
    ]);
  });

  it.each([
    ['truncated', '{"data":[{"a":1}'],
    ['truncated string', '{"data":"abc'],
    ['bad literal', '{"data":[tru]}'],
    ['bad number', '{"data":[01]}'],
    ['missing colon', '{"data" 1}'],
    ['missing comma', '{"a":1 "b":2}'],
    ['mismatched', '{"data":[1}'],
    ['unquoted key', '{data:1}'],
    ['trailing text', '{"a":1} x'],
    ['bad captured object', '{"data":[{"a":}]}'],
    ['two strings in a row', '{"data":["a" "b"]}'],
  ])('rejects invalid JSON (%s) with JsonStreamError', (_name, text) => {
    const s = new JsonScanner({ select: (p) => p.length === 2, onValue: () => {} });
    expect(() => {
      s.write(text);
      s.end();
    }).toThrow(JsonStreamError);
  });
});
