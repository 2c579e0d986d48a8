import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { cookieNames } from './http/cookies.js';
import { registerAuth } from './http/plugins/auth.js';
import { clientErrorHandler } from './http/plugins/client-errors.js';
import { registerCompression } from './http/plugins/compression.js';
import { frameworkErrors, registerErrorHandling } from './http/plugins/errors.js';
import {
  answerObserver,
  registerObservability,
  registerSecurityHeaders,
  responseHeaders,
} from './http/plugins/observability.js';
import { registerRouteLimits } from './http/plugins/route-limits.js';
import { registerWeb } from './http/plugins/web.js';
import { lazyRequestLogger } from './http/request-logger.js';
import { router } from './http/route.js';
import { adminRoutes } from './http/routes/admin.js';
import { authRoutes } from './http/routes/auth.js';
import { keyRoutes } from './http/routes/keys.js';
import { mfaRoutes } from './http/routes/mfa.js';
import { notificationRoutes } from './http/routes/notifications.js';
import { opsRoutes } from './http/routes/ops.js';
import { ssoRoutes } from './http/routes/sso.js';
import { statsRoutes } from './http/routes/stats.js';
import { tokenRoutes } from './http/routes/tokens.js';
import { memoizingValidatorCompiler } from './http/validation.js';
import { WarmLane } from './http/warm-lane.js';
import { createServices, type Services } from './services.js';

/** The app as buildApp answers it: zod-typed routes, and the services it was built with. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
> & {
  services: Services;
};

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The server options a serverFactory receives, after Fastify filled in its defaults. */
interface FastifyServerDefaults {
  http?: ServerOptions;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

export interface BuildOptions {
  /** Sees every route as it is registered (the security suite's coverage check). */
  onRoute?: (route: RouteOptions) => void;
}

/** Builds the HTTP app from its dependencies; no I/O of its own (main.ts and the tests own the lifecycle). */
export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<App> {
  const services = createServices(deps);
  const hsts = deps.config.publicUrl?.protocol === 'https:';
  const headers = responseHeaders(hsts).api;
  const cookies = cookieNames(deps.config);
  // The app's logger is deps.logger itself (loggerInstance): the lane and Fastify's hooks observe alike.
  const observe = answerObserver(deps.logger, deps.metrics);
  const lane = new WarmLane({
    sessions: services.accounts,
    sessionCookie: cookies.session,
    headers,
    compressMinBytes: deps.config.compressMinBytes,
    requestId,
    observe,
    failed: (err) => deps.logger.error({ err }, 'warm lane: a read failed after its answer started'),
  });
  const app = Fastify({
    loggerInstance: deps.logger,
    // One access-log line per request comes from our onResponse hook (observability.ts) instead.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: fastifyTrust(deps.config.trustProxy),
    bodyLimit: 64 * 1024,
    // Errors raised before any route runs get the same envelope, request id and headers as every other answer.
    frameworkErrors: frameworkErrors(headers),
    clientErrorHandler: clientErrorHandler(headers),
    genReqId: requestId,
    // The warm lane answers first what it can (http/warm-lane.ts, docs/decisions/045); Fastify everything else.
    serverFactory: (handler, options) => {
      const o = options as unknown as FastifyServerDefaults;
      const server = createServer(o.http ?? {}, (req, res) => lane.serve(req, res) || handler(req, res));
      // What Fastify does to the server it creates itself (fastify/lib/server.js), with its defaults filled in.
      server.keepAliveTimeout = o.keepAliveTimeout;
      server.requestTimeout = o.requestTimeout;
      server.setTimeout(o.connectionTimeout);
      if (o.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
      return server;
    },
    routerOptions: { ignoreTrailingSlash: true },
    // The per-request child logger is built only when the request logs something (request-logger.ts).
    childLoggerFactory: lazyRequestLogger,
  }).withTypeProvider<ZodTypeProvider>();

  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  app.setValidatorCompiler(memoizingValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerObservability(app, observe);
  app.decorate('warmLane', lane);
  app.addHook('preClose', (done) => {
    lane.close();
    done();
  });
  registerSecurityHeaders(app, hsts);
  registerCompression(app, deps.config.compressMinBytes);
  // No cookie hooks on every request: the session cookie is read only when there is no bearer token
  // (plugins/auth.ts), and the auth routes write their Set-Cookie header themselves.
  await app.register(cookie, { hook: false });
  registerAuth(app, services.accounts, { cookies, publicOrigin: deps.config.publicUrl?.origin });
  registerRouteLimits(app, services.limits, deps.config.keyWritesPerMinute);
  app.addHook('onClose', () => services.jobs.stop());
  // The 2FA policy is read on every authenticated request, synchronously: known before the first one.
  app.addHook('onReady', () => services.accounts.ready());
  app.addHook('onClose', () => services.notifications.close());

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Claude Key Portal API', version: deps.version },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: cookies.session },
          accessToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A personal access token (`kpt_…`): only routes whose x-token-scope it holds',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(
    async (api) => {
      await authRoutes(api, services);
      await mfaRoutes(api, services);
      await ssoRoutes(api, services);
      await tokenRoutes(api, services);
      await keyRoutes(api, services);
      await statsRoutes(api, services);
      await adminRoutes(api, services);
      await notificationRoutes(api, services);
    },
    { prefix: '/api' },
  );
  await opsRoutes(app, deps, services);

  router(app, ['ops']).get(
    '/openapi.json',
    { access: { public: 'the API’s description: no data' }, summary: 'This API as OpenAPI 3.1', hide: true },
    () => app.swagger(),
  );
  await registerWeb(app);
  return Object.assign(app, { services });
}

/** Accept a caller's request id when it is sane, so logs can be correlated across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * A hop count becomes a function: Fastify 5 turns a bare number into "trust nobody". With N hops the N nearest
 * addresses (the socket's peer first) are proxies, so the client is the entry the outermost proxy appended and
 * anything a client wrote into X-Forwarded-For itself is ignored.
 */
function fastifyTrust(trust: Config['trustProxy']) {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}
