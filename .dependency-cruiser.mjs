/**
 * The layering of docs/architecture.md §2 as rules, checked by `npm run lint:deps` (part of `npm run lint`, so CI
 * runs it). Paths are relative to the repository root; npm packages resolve to `node_modules/<name>/…`.
 * Type-only imports count: they are dependencies a reader follows, and a cycle of them is still a cycle.
 */
const DRIZZLE = '^node_modules/drizzle-orm/';
const SCHEMA = '^src/infra/db/schema\\.ts$';
const FASTIFY = '^node_modules/(fastify|@fastify/[^/]+)/';
const WIRING = '^src/(services|app|portal|main)\\.ts$';
/** The HTTP contract the web app may read types from (src/http/schemas, or a contract folder beside it). */
const CONTRACT = '^src/http/(schemas|contract)/';

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere in src/: every module can be read after the ones it imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'sql-in-one-layer',
      comment:
        'drizzle-orm and the schema are imported only by src/infra/db/ (the client, migrations and the ' +
        'repositories in src/infra/db/repos/); everyone else calls a repository function.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/infra/db/' },
      to: { path: [DRIZZLE, SCHEMA] },
    },
    {
      name: 'domain-free-of-framework',
      comment: 'The domain knows neither Fastify nor HTTP, nor the jobs and the wiring built on top of it.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: [FASTIFY, '^src/http/', '^src/jobs/', WIRING] },
    },
    {
      name: 'jobs-free-of-framework',
      comment: 'Background jobs use the domain and the repositories, never Fastify, HTTP or the wiring.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: [FASTIFY, '^src/http/', WIRING] },
    },
    {
      name: 'routes-call-services',
      comment:
        'Routes call domain services: no database, no cache library and no cache internals (its public types ' +
        'in src/infra/cache/types.ts are fine).',
      severity: 'error',
      from: { path: '^src/http/routes/' },
      to: {
        path: ['^src/infra/db/', '^node_modules/bentocache/', '^src/infra/cache/'],
        pathNot: '^src/infra/cache/types\\.ts$',
      },
    },
    {
      name: 'infra-below-http',
      comment: 'Infrastructure never reaches up into HTTP, the jobs or the wiring.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: ['^src/http/', '^src/jobs/', WIRING] },
    },
    {
      name: 'infra-uses-domain-types',
      comment:
        'Infrastructure reads the domain for types only (row and cache entry shapes), plus the shared ' +
        'vocabulary every layer uses: the error table (AppError) and the CRS limit field names.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: {
        path: '^src/domain/',
        pathNot: '^src/domain/(errors|keys/limits)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'web-reads-only-the-contract',
      comment: 'The web app uses only the public API: from the server it may read the HTTP contract, nothing else.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: CONTRACT },
    },
    {
      name: 'web-imports-the-contract-as-types',
      comment: "The contract's types only (import type …): server code, zod included, never ends up in the bundle.",
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    exclude: { path: ['^web/dist/', '^src/.*\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    moduleSystems: ['es6', 'cjs'],
  },
};
