import { expect, test } from '@playwright/test';
import { url } from './support/app.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };

test.describe('the UI is served by the portal itself', () => {
  test('index.html is revalidated, hashed assets are cached for a year', async ({ request }) => {
    const index = await request.get(url('/'), { headers: HTML });
    expect(index.status()).toBe(200);
    expect(index.headers()['content-type']).toContain('text/html');
    expect(index.headers()['cache-control']).toBe('no-cache');
    expect(index.headers()['content-security-policy']).toContain("script-src 'self'");
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const js = await request.get(url(asset!));
    expect(js.status()).toBe(200);
    expect(js.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request.get(url('/index.html'))).headers()['cache-control']).toBe('no-cache');
  });

  test('page URLs fall back to index.html; API and asset misses stay JSON 404s', async ({ request }) => {
    const deep = await request.get(url('/keys/8a0b8c36-4f1e-4d8e-9a53-0d1f2a3b4c5d?range=7d'), { headers: HTML });
    expect(deep.status()).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    expect(deep.headers()['cache-control']).toBe('no-cache');

    for (const [path, headers] of [
      ['/api/nope', HTML],
      ['/assets/missing-0000.js', HTML],
      ['/keys', { accept: 'application/json' }],
    ] as const) {
      const res = await request.get(url(path), { headers });
      expect(res.status(), path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
    const post = await request.post(url('/keys'), { headers: HTML });
    expect(post.status()).toBe(404);
  });
});
