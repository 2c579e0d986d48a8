import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp } from '../helpers/app.js';

/*
 * Issue 15, point 1 (BREACH): an answer that carries a secret must never be compressed, so its route declares
 * `secret: true` (src/http/route.ts; plugins/compression.ts skips it). Found by construction, like the security
 * suite's coverage: every route's response schemas are read as the app registers them, and a field named like a
 * secret (a key's `secret`, a session or access `token`, invite or recovery `codes`, a TOTP `otpauth` URL, any
 * `…Secret` or `…Token`) makes the declaration required. Token *counts* (`tokens`, `inputTokens`) are figures, an
 * error's `code` is not a secret.
 */
const SECRET_FIELD = /^(?:secret|token|codes?|recoveryCodes|otpauth\w*)$|(?:Secret|Token)$/;

interface Seen {
  label: string;
  secret: boolean;
  fields: string[];
}
const routes: Seen[] = [];
await createTestApp({
  onRoute: (r: RouteOptions) => {
    const responses = Object.values((r.schema?.response ?? {}) as Record<string, unknown>);
    const fields = responses.flatMap((s) => (s instanceof z.ZodType ? secretFields(s) : []));
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ label: `${method} ${r.url}`, secret: r.config?.secret === true, fields });
    }
  },
});

function secretFields(schema: z.ZodType): string[] {
  const found = new Set<string>();
  // `owner` is the property the node describes: an error's `code` (compare's failed key) is no secret.
  const walk = (node: unknown, owner: string): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n, owner);
      return;
    }
    const props = (node as { properties?: Record<string, unknown> }).properties;
    for (const [name, sub] of Object.entries(props ?? {})) {
      if (SECRET_FIELD.test(name) && !(owner === 'error' && name === 'code')) found.add(name);
      walk(sub, name);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'properties') walk(v, owner);
  };
  walk(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }), '');
  return [...found];
}

describe('answers that carry a secret', () => {
  it('finds the ones this portal has', () => {
    const withSecrets = routes.filter((r) => r.fields.length).map((r) => r.label);
    expect(withSecrets).toEqual(
      expect.arrayContaining(['POST /api/keys', 'POST /api/auth/login', 'POST /api/auth/register']),
    );
    // Usage figures are not secrets.
    expect(routes.find((r) => r.label === 'GET /api/stats/usage')?.fields).toEqual([]);
  });

  it('are declared secret (never compressed)', () => {
    const undeclared = routes.filter((r) => r.fields.length && !r.secret).map((r) => `${r.label} (${r.fields})`);
    expect(undeclared, 'add `secret: true` to the route declaration').toEqual([]);
  });

  it('and no route is declared secret without one (the list stays honest)', () => {
    expect(routes.filter((r) => r.secret && !r.fields.length).map((r) => r.label)).toEqual([]);
  });
});
