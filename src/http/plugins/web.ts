import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { router } from '../route.js';
import { sendRouteNotFound } from './errors.js';

/** src/http/plugins → repo root; the same from dist/http/plugins. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The favicon has no hash in its name, yet changes about never: a day without asking again. */
const FAVICON = 'public, max-age=86400';

/**
 * Serves the built web UI (web/dist) from the API's own process:
 * - `/assets/*` carry a content hash in their names, so browsers may keep them forever;
 * - `index.html` must be revalidated on every load, so a new release is picked up at once;
 * - every text file has a `.br` and a `.gz` twin made at build (scripts/build.mjs): the one the browser accepts is
 *   sent as is, so no file is compressed per request (docs/decisions/033);
 * - any other GET that wants HTML (a page URL such as /keys/123) gets index.html: the SPA routes it;
 * - everything else that matches no route (an unknown /api path, a missing asset) stays a JSON 404.
 * Without a build (tests, API-only use) nothing is registered.
 */
export async function registerWeb(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  if (!existsSync(path.join(root, 'index.html'))) return;

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file (listed once at start) instead of a catch-all that would shadow the SPA fallback.
    wildcard: false,
    index: false,
    cacheControl: false,
    preCompressed: true,
    // The twins are found beside each file when it is asked for; they need no routes of their own.
    globIgnore: ['**/*.br', '**/*.gz'],
    setHeaders(reply, filePath) {
      const rel = path.relative(root, filePath).split(path.sep).join('/');
      reply.header(
        'cache-control',
        rel.startsWith('assets/') ? IMMUTABLE : rel.startsWith('favicon.') ? FAVICON : 'no-cache',
      );
    },
  });

  router(app, ['web']).get(
    '/*',
    {
      access: { public: 'the web app: index.html for page URLs, a JSON 404 for the rest' },
      summary: 'A page',
      hide: true,
    },
    (req, reply) => {
      const pathname = req.url.split('?')[0];
      if (isNeverAPage(pathname) || !wantsHtml(req)) return sendRouteNotFound(req, reply);
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    },
  );
}

/** API, probes, docs and assets: a miss there is a JSON 404, never the SPA's index.html. */
function isNeverAPage(pathname: string): boolean {
  return (
    pathname === '/api' ||
    pathname.startsWith('/api/') ||
    pathname.startsWith('/assets/') ||
    pathname === '/metrics' ||
    pathname.startsWith('/docs')
  );
}

function wantsHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}
