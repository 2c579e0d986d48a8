import { expect } from 'vitest';
import type { Emulator } from '../../src/crs-emulator/index.js';

/**
 * The CRS operator, acting through CRS's own admin API over HTTP (as the CRS admin UI does), never through the
 * portal: what the portal must notice, respect and never undo.
 */
export function crsOperator(emulator: Pick<Emulator, 'url'>) {
  let token: string | undefined;
  async function call(method: string, path: string, body?: unknown) {
    token ??= (
      (await (
        await fetch(`${emulator.url}/web/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'admin' }),
        })
      ).json()) as { token: string }
    ).token;
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as { data?: unknown };
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json;
  }
  return {
    /** PUT /admin/api-keys/:id (partial; `tags` replaces the whole list). */
    edit: (id: string, body: Record<string, unknown>) => call('PUT', `/admin/api-keys/${id}`, body),
    /** PATCH …/expiration (leaves isActive alone). */
    expire: (id: string, expiresAt: string | null) =>
      call('PATCH', `/admin/api-keys/${id}/expiration`, { expiresAt: expiresAt ?? '' }),
    softDelete: (id: string) => call('DELETE', `/admin/api-keys/${id}`),
    restore: (id: string) => call('POST', `/admin/api-keys/${id}/restore`, {}),
    hardDelete: async (id: string) => {
      await call('DELETE', `/admin/api-keys/${id}`);
      return call('DELETE', `/admin/api-keys/${id}/permanent`);
    },
    create: async (body: Record<string, unknown>) =>
      (await call('POST', '/admin/api-keys', body)).data as { id: string; apiKey: string },
  };
}

/** A request through CRS's relay with the key's secret: what a key holder's Claude Code does. */
export async function relay(emulator: Pick<Emulator, 'url'>, secret: string, maxTokens = 100): Promise<number> {
  const res = await fetch(`${emulator.url}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: JSON.stringify({ max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}
