import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The layering rules of .dependency-cruiser.mjs (docs/decisions/019), run by `npm run lint:deps` over a small tree
 * laid out like the portal's, in which each rule is broken once, next to imports the rules allow. The real tree is
 * checked by `npm run lint`.
 */
const FILES: Record<string, string> = {
  // Stand-ins for the npm packages the rules name.
  'node_modules/drizzle-orm/package.json': '{ "name": "drizzle-orm", "main": "index.js" }',
  'node_modules/drizzle-orm/index.js': 'export const sql = 1;',
  'node_modules/fastify/package.json': '{ "name": "fastify", "main": "index.js" }',
  'node_modules/fastify/index.js': 'export default 1;',
  'node_modules/bentocache/package.json': '{ "name": "bentocache", "main": "index.js" }',
  'node_modules/bentocache/index.js': 'export const BentoCache = 1;',

  'src/domain/errors.ts': 'export class AppError extends Error {}',
  'src/domain/types.ts': 'export interface Row { id: string }',
  'src/domain/rules.ts': "import { sql } from 'drizzle-orm';\nexport const rule = sql;",
  'src/domain/cycle-a.ts': "import { b } from './cycle-b.js';\nexport const a = b;",
  'src/domain/cycle-b.ts':
    "import type { Row } from './types.js';\nimport { a } from './cycle-a.js';\nexport const b: Row | string = a;",
  'src/domain/framework.ts': [
    "import Fastify from 'fastify';",
    "import { reply } from '../http/reply.js';",
    "import { job } from '../jobs/job.js';",
    "import { services } from '../services.js';",
    'export const x = [Fastify, reply, job, services];',
  ].join('\n'),
  'src/infra/db/schema.ts': "import { sql } from 'drizzle-orm';\nexport const users = sql;",
  'src/infra/db/repos/users.ts': [
    "import type { Row } from '../../../domain/types.js';",
    "import { users } from '../schema.js';",
    'export const findUser = (): Row | number => users;',
  ].join('\n'),
  'src/infra/cache/types.ts': 'export interface PortalCache { x: number }',
  'src/infra/cache/cache.ts': "import { BentoCache } from 'bentocache';\nexport const cache = BentoCache;",
  'src/infra/crs/client.ts': [
    "import { AppError } from '../../domain/errors.js';",
    "import { rule } from '../../domain/rules.js';",
    "import { reply } from '../../http/reply.js';",
    'export const client = [AppError, rule, reply];',
  ].join('\n'),
  'src/jobs/job.ts': [
    "import type { FastifyInstance } from 'fastify';",
    "import { users } from '../infra/db/schema.js';",
    "import { findUser } from '../infra/db/repos/users.js';",
    'export const job = (f?: FastifyInstance) => [f, users, findUser];',
  ].join('\n'),
  'src/http/reply.ts': 'export const reply = 1;',
  'src/http/schemas/keys.ts': 'export interface KeyAnswer { id: string }\nexport const keySchema = 1;',
  'src/http/routes/keys.ts': [
    "import type { PortalCache } from '../../infra/cache/types.js';",
    "import { cache } from '../../infra/cache/cache.js';",
    "import { BentoCache } from 'bentocache';",
    "import { findUser } from '../../infra/db/repos/users.js';",
    'export const routes = (c?: PortalCache) => [c, cache, BentoCache, findUser];',
  ].join('\n'),
  'src/services.ts': "import { job } from './jobs/job.js';\nexport const services = job;",
  'web/src/page.ts': [
    "import type { KeyAnswer } from '../../src/http/schemas/keys.js';",
    "import { keySchema } from '../../src/http/schemas/keys.js';",
    "import type { Row } from '../../src/domain/types.js';",
    'export const page = (k?: KeyAnswer, r?: Row) => [k, r, keySchema];',
  ].join('\n'),
};

let root: string;
let report: { code: number; lines: string[] };

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'kp-dep-rules-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), `${text}\n`);
  }
  report = await new Promise((resolve) => {
    execFile(
      process.execPath,
      ['tools/dep-rules/run.mjs', '--root', root, '--min-modules', '10'],
      { cwd: path.resolve(import.meta.dirname, '../..') },
      (err, stdout) => resolve({ code: err ? Number(err.code) : 0, lines: stdout.split('\n') }),
    );
  });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The violations reported, as "rule: from → to". */
const violations = () =>
  report.lines
    .map((l) => /^\s*error ([\w-]+): (\S+) → (\S+)/.exec(l))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}: ${m[2]} → ${m[3]}`);

describe('the layering rules (npm run lint:deps)', () => {
  it('fail the run when one is broken', () => {
    expect(report.code).toBeGreaterThan(0);
  });

  it.each([
    ['no-circular', 'src/domain/cycle-a.ts', 'src/domain/cycle-b.ts'],
    ['sql-in-one-layer', 'src/domain/rules.ts', 'node_modules/drizzle-orm/index.js'],
    ['sql-in-one-layer', 'src/jobs/job.ts', 'src/infra/db/schema.ts'],
    ['domain-free-of-framework', 'src/domain/framework.ts', 'node_modules/fastify/index.js'],
    ['domain-free-of-framework', 'src/domain/framework.ts', 'src/http/reply.ts'],
    ['domain-free-of-framework', 'src/domain/framework.ts', 'src/jobs/job.ts'],
    ['domain-free-of-framework', 'src/domain/framework.ts', 'src/services.ts'],
    ['jobs-free-of-framework', 'src/jobs/job.ts', 'node_modules/fastify/index.js'],
    ['routes-call-services', 'src/http/routes/keys.ts', 'src/infra/db/repos/users.ts'],
    ['routes-call-services', 'src/http/routes/keys.ts', 'node_modules/bentocache/index.js'],
    ['routes-call-services', 'src/http/routes/keys.ts', 'src/infra/cache/cache.ts'],
    ['infra-below-http', 'src/infra/crs/client.ts', 'src/http/reply.ts'],
    ['infra-uses-domain-types', 'src/infra/crs/client.ts', 'src/domain/rules.ts'],
    ['web-reads-only-the-contract', 'web/src/page.ts', 'src/domain/types.ts'],
    ['web-imports-the-contract-as-types', 'web/src/page.ts', 'src/http/schemas/keys.ts'],
  ])('%s: %s → %s is refused', (rule, from, to) => {
    expect(violations()).toContain(`${rule}: ${from} → ${to}`);
  });

  it('allow what the layering allows', () => {
    const allowed = [
      'src/infra/db/repos/users.ts → src/infra/db/schema.ts',
      'src/infra/db/repos/users.ts → src/domain/types.ts',
      'src/infra/crs/client.ts → src/domain/errors.ts',
      'src/jobs/job.ts → src/infra/db/repos/users.ts',
      'src/http/routes/keys.ts → src/infra/cache/types.ts',
      'src/infra/cache/cache.ts → node_modules/bentocache/index.js',
    ];
    for (const dep of allowed) expect(violations().filter((v) => v.endsWith(`: ${dep}`))).toEqual([]);
    // web → the contract is refused once (as a value import), not twice: its type-only import is fine.
    expect(violations().filter((v) => v.startsWith('web-reads-only-the-contract:'))).toHaveLength(1);
  });
});
