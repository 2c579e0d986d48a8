import { describe, expect, it } from 'vitest';
import { apiDocs } from '../../scripts/api-docs.js';
import {
  type ApiDocument,
  ROUTES_END,
  ROUTES_START,
  renderRoutes,
  spliceRoutes,
} from '../../scripts/api-docs-render.js';

describe('docs/api.md', () => {
  it('holds the route reference of the routes the app declares (run `npm run docs:api` when this fails)', async () => {
    const { current, expected } = await apiDocs();
    expect(current).toBe(expected);
  });
});

describe('the route reference renderer', () => {
  const doc: ApiDocument = {
    paths: {
      '/api/things/{id}': {
        patch: {
          tags: ['things'],
          security: [{ bearer: [] }, { cookie: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    name: { type: 'string', minLength: 1, maxLength: 100 },
                    limits: { type: 'object', properties: { window: { type: 'integer', minimum: 0, default: 0 } } },
                  },
                  required: ['name'],
                },
              },
            },
          },
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      status: { type: 'string', enum: ['on', 'off'] },
                      seenAt: { type: ['string', 'null'] },
                    },
                    required: ['status'],
                  },
                },
              },
            },
            '204': {},
          },
        },
      },
      '/api/admin/stop': { post: { tags: ['admin'], security: [{ bearer: [] }], responses: { '202': {} } } },
      '/api/ping': { get: { tags: ['ops'], responses: {} } },
      '/api/hello': {
        get: { summary: 'Say hello', 'x-access': 'public', 'x-public-because': 'no data', responses: {} },
        post: { summary: 'Greet', 'x-access': 'admin', security: [{ cookie: [] }], responses: {} },
      },
    },
  };
  const out = renderRoutes(doc);

  it('states each route’s auth level', () => {
    expect(out).toContain('#### `PATCH /api/things/{id}`\n\nAuth: session (bearer or cookie).');
    expect(out).toContain('#### `POST /api/admin/stop`\n\nAuth: admin role (session: bearer).');
    expect(out).toContain('#### `GET /api/ping`\n\nAuth: public.');
  });

  it('prints the summary and the declared access, with a public route’s reason', () => {
    expect(out).toContain('#### `GET /api/hello`\n\nSay hello.\n\nAuth: public — no data.');
    expect(out).toContain('#### `POST /api/hello`\n\nGreet.\n\nAuth: admin role (session: cookie).');
  });

  it('lists path, query and nested body fields with their rules', () => {
    expect(out).toContain('| path `id` | string | yes | UUID |');
    expect(out).toContain('| body `name` | string | yes | 1–100 characters |');
    expect(out).toContain('| body `limits.window` | integer |  | at least 0; default `0` |');
  });

  it('writes answers as types: optional and nullable fields, enums, empty answers', () => {
    expect(out).toContain('```ts\n{\n  status: "on" | "off"\n  seenAt?: string | null\n}\n```');
    expect(out).toContain('**204**: no body.');
  });

  it('replaces only what lies between the markers', () => {
    const md = `# Title\n\n${ROUTES_START}\nold\n${ROUTES_END}\n\nAfter.\n`;
    expect(spliceRoutes(md, 'new\n')).toBe(`# Title\n\n${ROUTES_START}\n\nnew\n\n${ROUTES_END}\n\nAfter.\n`);
    expect(() => spliceRoutes('# no markers', 'new')).toThrow(/routes:start/);
  });
});
