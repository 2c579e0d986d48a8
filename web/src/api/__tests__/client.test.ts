import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, setUnauthorizedHandler, withQuery } from '../client';

function answer(status: number, body?: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));
}

afterEach(() => setUnauthorizedHandler(undefined));

describe('api client', () => {
  it('sends JSON with the session cookie of this origin only', async () => {
    const fetchMock = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    await api('/api/keys', { method: 'POST', body: { name: 'x' } });
    const [path, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/keys');
    expect(init.credentials).toBe('same-origin');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(init.body).toBe('{"name":"x"}');
  });

  it("turns the API's error envelope into an ApiError with field details", async () => {
    vi.stubGlobal(
      'fetch',
      answer(400, {
        error: {
          code: 'bad_request',
          message: 'limits.tokenLimit: too big',
          requestId: 'r1',
          details: [{ path: 'limits.tokenLimit', message: 'too big' }],
        },
      }),
    );
    const err = (await api('/api/keys').catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('bad_request');
    expect(err.requestId).toBe('r1');
    expect(err.field('limits.tokenLimit')).toBe('too big');
    expect(err.field('limits')).toBe('too big');
    expect(err.field('name')).toBeUndefined();
  });

  it('reports an expired session (any 401) once, unless the caller expects a 401', async () => {
    const expired = vi.fn();
    setUnauthorizedHandler(expired);
    vi.stubGlobal('fetch', answer(401, { error: { code: 'unauthorized', message: 'Sign in', requestId: 'x' } }));
    await expect(api('/api/stats/usage')).rejects.toMatchObject({ status: 401 });
    expect(expired).toHaveBeenCalledTimes(1);
    await expect(api('/api/auth/login', { method: 'POST', body: {}, expect401: true })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('names a network failure as such', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(api('/api/keys')).rejects.toMatchObject({ code: 'network', status: 0 });
  });

  it('builds query strings without empty values', () => {
    expect(withQuery('/api/keys', { page: 2, search: '', status: undefined, sort: 'cost' })).toBe(
      '/api/keys?page=2&sort=cost',
    );
    expect(withQuery('/api/keys', {})).toBe('/api/keys');
  });
});
