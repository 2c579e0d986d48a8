import { describe, expect, it } from 'vitest';
import { compareShape } from './shape.js';

const ID = '483fedd3-5bcd-455c-a5ab-a10cf615de60';
const OTHER = '55c801d6-4a2a-4639-8f44-aabe17489428';

describe('compareShape', () => {
  it('accepts equal structures with different values', () => {
    expect(compareShape({ a: 1, b: ['x'], c: null }, { a: 2, b: ['y', 'z'], c: null })).toEqual([]);
  });

  it('reports type changes, missing and unexpected keys with their paths', () => {
    expect(compareShape({ a: { b: '3' }, c: 1 }, { a: { b: 3 }, d: 1 })).toEqual([
      '$.a.b: expected string, got number',
      '$.d: unexpected key',
      '$.c: missing key',
    ]);
    expect(compareShape({ a: null }, { a: 5 })).toEqual(['$.a: expected null, got number']);
  });

  it('merges array elements: keys present in only some expected elements are optional', () => {
    const expected = { items: [{ id: 1, updatedAt: 'x' }, { id: 2 }] };
    expect(compareShape(expected, { items: [{ id: 3 }] })).toEqual([]);
    expect(compareShape({ items: [{ id: 1 }] }, { items: [{ id: 1 }, {}] })).toEqual([
      '$.items[].id: missing in some elements',
    ]);
    expect(compareShape({ items: [1] }, { items: [] })).toEqual(['$.items: expected a non-empty array, got []']);
  });

  it('compares id-keyed maps by their values, an empty map matching any', () => {
    expect(compareShape({ data: { [ID]: { n: 1 } } }, { data: { [OTHER]: { n: 2 } } })).toEqual([]);
    expect(compareShape({ data: { [ID]: { n: 1 } } }, { data: { [OTHER]: { n: '2' } } })).toEqual([
      '$.data.<id>.n: expected number, got string',
    ]);
    expect(compareShape([{ apiKeys: {} }, { apiKeys: { [ID]: { n: 1 } } }], [{ apiKeys: {} }])).toEqual([]);
  });
});
