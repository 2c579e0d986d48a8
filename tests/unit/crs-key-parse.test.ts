import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CrsInvalidResponse } from '../../src/infra/crs/failures.js';
import {
  createdKeySchema,
  deletedKeysSchema,
  healthSchema,
  keyPageSchema,
  keySchema,
  writeAckSchema,
} from '../../src/infra/crs/key-schemas.js';
import { parseWith } from '../../src/infra/crs/loose.js';
import type { CrsKey } from '../../src/infra/crs/types.js';

// Real CRS 1.1.314 answers (copied from the shared samples).
const samples = JSON.parse(readFileSync(new URL('./crs-samples.json', import.meta.url), 'utf8'));

const CRS_KEY_FIELDS: (keyof CrsKey)[] = [
  'id',
  'name',
  'description',
  'isActive',
  'isDeleted',
  'tags',
  'tokenLimit',
  'concurrencyLimit',
  'rateLimitWindow',
  'rateLimitRequests',
  'rateLimitCost',
  'dailyCostLimit',
  'totalCostLimit',
  'weeklyOpusCostLimit',
  'permissions',
  'enableModelRestriction',
  'restrictedModels',
  'expiresAt',
  'lastUsedAt',
  'createdAt',
  'updatedAt',
];

const parseKey = (raw: unknown) => parseWith(keySchema, 'test')(raw);

describe('CRS key list (GET /admin/api-keys)', () => {
  const page = parseWith(keyPageSchema, 'GET /admin/api-keys')(samples.list);

  it('normalises the mixed types of list items', () => {
    const [bob, alice] = page.items;
    expect(alice).toEqual({
      id: '483fedd3-5bcd-455c-a5ab-a10cf615de60',
      name: 'portal-alice-laptop-renamed',
      description: 'Alice laptop key (portal user u_1001)',
      isActive: true,
      isDeleted: false,
      tags: ['portal', 'user:u_1001', 'vip'],
      tokenLimit: 0,
      concurrencyLimit: 3,
      rateLimitWindow: 60,
      rateLimitRequests: 200,
      rateLimitCost: 5,
      dailyCostLimit: 15,
      totalCostLimit: 300,
      weeklyOpusCostLimit: 50,
      permissions: ['claude'],
      enableModelRestriction: true,
      restrictedModels: ['claude-opus-4-1-20250805'],
      expiresAt: '2027-12-31T00:00:00.000Z',
      lastUsedAt: '2026-11-25T17:18:36.788Z',
      createdAt: '2026-11-25T20:28:44.438Z',
      updatedAt: '2026-11-25T20:28:55.370Z',
    });
    expect(bob).toMatchObject({ isActive: false, concurrencyLimit: 0, permissions: [], tags: [] });
  });

  it('keeps only the portal fields: never the key hash, bindings or placeholder usage', () => {
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual([...CRS_KEY_FIELDS].sort());
  });

  it('reads the pagination', () => {
    expect(page).toMatchObject({ page: 1, pageSize: 10, total: 2, totalPages: 1 });
  });
});

describe('CRS key create (POST /admin/api-keys)', () => {
  it('splits the one-time secret from the key', () => {
    const { key, secret } = parseWith(createdKeySchema, 'POST /admin/api-keys')(samples.created);
    expect(secret).toBe('cr_982ca596cefe8fba4d93d631860e1c1c73b9645643a5ceb22d44b95e7e2f3065');
    expect(key).toMatchObject({
      id: '483fedd3-5bcd-455c-a5ab-a10cf615de60',
      concurrencyLimit: 2,
      permissions: ['claude'],
      tags: ['portal', 'user:u_1001'],
      isDeleted: false,
      lastUsedAt: null,
      updatedAt: null,
    });
    expect(Object.keys(key).sort()).toEqual([...CRS_KEY_FIELDS].sort());
  });

  it('refuses an answer without a cr_ key, without echoing it', () => {
    const body = { data: { ...samples.created.data, apiKey: 'sk-secret-value' } };
    expect(() => parseWith(createdKeySchema, 'POST /admin/api-keys')(body)).toThrow(CrsInvalidResponse);
    try {
      parseWith(createdKeySchema, 'POST /admin/api-keys')(body);
    } catch (e) {
      expect((e as Error).message).not.toContain('sk-secret-value');
    }
  });
});

describe('loose CRS types', () => {
  it('reads a deleted key: isDeleted true, "" timestamps as null', () => {
    expect(parseKey(samples.deletedItem)).toMatchObject({
      isDeleted: true,
      isActive: false,
      lastUsedAt: null,
      expiresAt: null,
      tags: ['portal', 'trial'],
    });
  });

  it.each([
    [{ isActive: 'true' }, { isActive: true }],
    [
      { isActive: 'false', isDeleted: 'true' },
      { isActive: false, isDeleted: true },
    ],
    [{ permissions: 'all' }, { permissions: [] }],
    [{ permissions: 'claude' }, { permissions: ['claude'] }],
    [{ permissions: '["claude","gemini"]' }, { permissions: ['claude', 'gemini'] }],
    [{ tags: '["a","user:1"]' }, { tags: ['a', 'user:1'] }],
    [{ tags: '' }, { tags: [] }],
    [
      { dailyCostLimit: '12.5', concurrencyLimit: '' },
      { dailyCostLimit: 12.5, concurrencyLimit: 0 },
    ],
    [
      { updatedAt: undefined, expiresAt: null },
      { updatedAt: null, expiresAt: null },
    ],
  ])('%j → %j', (patch, expected) => {
    expect(parseKey({ ...samples.deletedItem, ...patch })).toMatchObject(expected);
  });

  it.each([
    ['concurrencyLimit', 'three'],
    ['isActive', 'yes'],
    ['permissions', '{"claude":true}'],
    ['tags', [1, 2]],
    ['expiresAt', 12345],
  ])('names the field when %s is %j', (field, value) => {
    const body = { data: { items: [{ ...samples.deletedItem, [field]: value }], pagination: {} } };
    expect(() => parseWith(keyPageSchema, 'GET /admin/api-keys')(body)).toThrow(`data.items.0.${field}`);
  });
});

describe('write acknowledgements and /health', () => {
  it('accepts {success, message} and refuses success:false', () => {
    const ack = parseWith(writeAckSchema, 'PUT /admin/api-keys/:id');
    expect(ack({ success: true, message: 'API key updated successfully' })).toBeUndefined();
    expect(() => ack({ success: false, error: 'x' })).toThrow(CrsInvalidResponse);
  });

  it('reads the health answer', () => {
    expect(parseWith(healthSchema, 'GET /health')(samples.health)).toEqual({ ok: true, version: '1.1.314' });
    expect(parseWith(healthSchema, 'GET /health')({ status: 'unhealthy' })).toEqual({ ok: false });
  });
});

describe('CRS deleted list (GET /admin/api-keys/deleted)', () => {
  it('reads the real capture: no data envelope, ids with their deletion time', () => {
    const sample = JSON.parse(
      readFileSync(new URL('../contract/crs-samples/api-keys-deleted-list.json', import.meta.url), 'utf8'),
    );
    expect(parseWith(deletedKeysSchema, 'GET /admin/api-keys/deleted')(sample.response)).toEqual([
      { id: 'dc7deb60-cf85-4935-afaf-c6d1cb8a72f3', name: 'portal-carol-trial', deletedAt: '2026-11-25T20:29:04.024Z' },
    ]);
  });
});
