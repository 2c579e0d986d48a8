import type {
  ContextConfigDefault,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  onRequestHookHandler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteOptions,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AuthContext, TokenScope } from '../domain/accounts/types.js';
import { adminRole, sameOriginWrites } from './plugins/auth.js';
import { JSON_TYPE, type JsonBody, type LaneAnswer, takeParked, type WarmLane } from './warm-lane.js';

/**
 * Who may call a route: a signed-in `user`, an `admin`, or anyone — and then the declaration says why that is safe
 * (`sameOrigin`: the route signs a browser in, so a cross-site Origin is refused as for cookie writes).
 */
export type Access = 'user' | 'admin' | { public: string; sameOrigin?: true };
export type AccessLevel = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers warm reads of `getJson` routes before Fastify (warm-lane.ts); absent in apps built without it. */
    warmLane?: WarmLane;
  }
  interface FastifyContextConfig {
    /** The declared access (route.ts); the security suite's coverage check reads it. */
    access?: AccessLevel;
    /** For a public route: why anyone may call it. */
    publicBecause?: string;
    /** The route answers JSON the domain built (docs/decisions/003); its answers are checked against its schema. */
    preSerialised?: boolean;
    /** The scope a personal access token needs here; absent: no token may call the route (docs/decisions/026). */
    tokenScope?: TokenScope;
    /** A session that owes a second factor may call it (to enrol, see itself, sign out: docs/decisions/027). */
    beforeMfa?: boolean;
    /** The answer carries a secret: never compressed (plugins/compression.ts, docs/decisions/033). */
    secret?: boolean;
  }
}

type Part = z.ZodType | undefined;
type Responses = Record<number, z.ZodType>;

/** One route: everything but its handler, readable in a line or two. */
export interface RouteDecl<P extends Part, Q extends Part, B extends Part, R extends Responses, A extends Access> {
  access: A;
  /** One line for docs/api.md and the OpenAPI document. */
  summary: string;
  /** Defaults to the router's tags. */
  tags?: string[];
  params?: P;
  querystring?: Q;
  body?: B;
  /** By status; left out only where the answer is not JSON (/metrics, the web app's pages). */
  response?: R;
  /** A per-user budget the route spends (plugins/route-limits.ts). */
  limit?: 'keyWrites';
  /**
   * Personal access tokens with this scope may call the route (docs/decisions/026). Left out on the account,
   * token and admin routes: no token reaches them, whatever its scopes.
   */
  token?: TokenScope;
  /** Open to a session that must still enrol a second factor (docs/decisions/027). */
  beforeMfa?: true;
  /** Left out of the OpenAPI document (/metrics, the document itself, the web app's pages). */
  hide?: true;
  /**
   * The answer carries a secret (a key, a session or access token, invite or recovery codes): it is never
   * compressed, whatever its size — a compressed secret beside text the caller controls leaks through the length
   * (BREACH, docs/decisions/033). tests/security/compression.test.ts finds answers with such fields that lack it.
   */
  secret?: true;
}

type Schema<P, Q, B, R> = { params: P; querystring: Q; body: B; response: R };
type Caller<A> = A extends 'user' | 'admin' ? { auth: AuthContext } : unknown;

/** The request as the handler sees it: parts typed by their schemas, and `auth` set on a signed-in route. */
export type RouteRequest<S extends FastifySchema, A> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  S,
  ZodTypeProvider
> &
  Caller<A>;

/** The reply, with `send` typed by the response schemas. */
export type RouteReply<S extends FastifySchema> = FastifyReply<
  RouteGenericInterface,
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  ContextConfigDefault,
  S,
  ZodTypeProvider
>;

/** What a `getJson` answer reads of its request: its caller and its validated parts, nothing of the connection. */
type AnswerRequest<S extends FastifySchema, A> = Pick<RouteRequest<S, A>, 'query' | 'params'> & Caller<A>;

/** What a handler may return: a body of one of its response schemas (anything when it declares none). */
type Answer<R extends Responses> = [keyof R] extends [never]
  ? unknown
  : z.output<R[keyof R]> | FastifyReply | undefined;
type Handler<S extends Schema<Part, Part, Part, Responses>, A> = (
  req: RouteRequest<S, A>,
  reply: RouteReply<S>,
) => Answer<S['response']> | Promise<Answer<S['response']>>;

/** A session, sent as a bearer token or the session cookie (docs/api.md §1). */
const SESSION: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
/** … or a personal access token with the route's scope (`x-token-scope`). */
const SESSION_OR_TOKEN: Record<string, string[]>[] = [...SESSION, { accessToken: [] }];

/**
 * Declares routes: `r.get(url, { access, summary, querystring, response }, handler)`. From the declaration follow
 * the auth hooks, the OpenAPI `security` and summary, the handler's typed caller (`req.auth` on `user` and `admin`
 * routes, no null check) and the route's `config.access`, which tests/security/coverage.test.ts reads.
 */
export function router(app: FastifyInstance, tags: string[]) {
  const method =
    (name: 'GET' | 'POST' | 'PATCH' | 'DELETE') =>
    <
      P extends Part,
      Q extends Part,
      B extends Part,
      R extends Responses = Record<never, never>,
      A extends Access = Access,
    >(
      url: string,
      decl: RouteDecl<P, Q, B, R, A>,
      handler: Handler<Schema<P, Q, B, R>, A>,
    ) =>
      register(app, tags, name, url, decl, handler as RouteHandlerMethod);
  return {
    get: method('GET'),
    post: method('POST'),
    patch: method('PATCH'),
    delete: method('DELETE'),
    /**
     * A GET answered with a body the domain built as JSON (docs/decisions/003): sent without the serializer,
     * synchronously when the domain had it in memory. Its answers are parsed against `response[200]` by
     * tests/integration/pre-serialised.test.ts, which finds every route declared here.
     */
    getJson<P extends Part, Q extends Part, A extends Access>(
      url: string,
      decl: RouteDecl<P, Q, undefined, { 200: z.ZodType }, A>,
      answer: (req: AnswerRequest<Schema<P, Q, undefined, { 200: z.ZodType }>, A>) => JsonBody | Promise<JsonBody>,
    ) {
      // Fastify hands the handler a plain request; the hooks above made it the one `answer` is typed for.
      const send = answer as (req: FastifyRequest) => JsonBody | Promise<JsonBody>;
      // A parameterless route for signed-in users is also answered by the warm lane, from what Fastify taught it.
      const lane = decl.access === 'user' && !decl.params ? app.warmLane : undefined;
      // The lane calls `answer` only for such a route, whose request has no params to read.
      const learn = lane?.add(
        `${app.prefix}${url}`,
        { tokenScope: decl.token, beforeMfa: decl.beforeMfa },
        answer as unknown as LaneAnswer,
      );
      register(
        app,
        tags,
        'GET',
        url,
        decl,
        (req, reply) => {
          learn?.(req.raw.url ?? '', req.query);
          return sendAnswer(reply, takeParked(req.raw) ?? send(req));
        },
        true,
      );
    },
  };
}

function register(
  app: FastifyInstance,
  tags: string[],
  method: string,
  url: string,
  decl: RouteDecl<Part, Part, Part, Responses, Access>,
  // Typed by the declaration above; Fastify's own handler type knows neither `auth` nor our schemas.
  handler: RouteHandlerMethod,
  preSerialised = false,
): void {
  const { access, params, querystring, body, response, limit, hide, token, beforeMfa, secret } = decl;
  const level: AccessLevel = typeof access === 'string' ? access : 'public';
  if ((token || beforeMfa) && level === 'public') throw new Error(`${method} ${url}: tokens and 2FA need a caller`);
  if (token && level === 'admin') throw new Error(`${method} ${url}: no personal access token reaches admin routes`);
  if (typeof access !== 'string' && !access.public.trim()) {
    throw new Error(`${method} ${url}: a public route says why it is public`);
  }
  if (limit && level === 'public') throw new Error(`${method} ${url}: a per-user budget needs a signed-in caller`);
  const schema: FastifySchema & Record<`x-${string}`, unknown> = {
    summary: decl.summary,
    tags: decl.tags ?? tags,
    'x-access': level,
    ...(typeof access === 'string' ? {} : { 'x-public-because': access.public }),
    ...(level === 'public' ? {} : { security: token ? SESSION_OR_TOKEN : SESSION }),
    ...(token ? { 'x-token-scope': token } : {}),
    ...(hide ? { hide } : {}),
    ...(params ? { params } : {}),
    ...(querystring ? { querystring } : {}),
    ...(body ? { body } : {}),
    ...(response ? { response } : {}),
  };
  const route: RouteOptions = {
    method,
    url,
    schema,
    config: {
      access: level,
      ...(typeof access === 'string' ? {} : { publicBecause: access.public }),
      ...(limit ? { limit } : {}),
      ...(preSerialised ? { preSerialised } : {}),
      ...(token ? { tokenScope: token } : {}),
      ...(beforeMfa ? { beforeMfa: true } : {}),
      ...(secret ? { secret } : {}),
    },
    handler,
  };
  const onRequest = hooks(app, access);
  if (onRequest) route.onRequest = onRequest;
  app.route(route);
}

/** Authentication runs first, before the body is read: without a session the answer is 401 whatever the body. */
function hooks(app: FastifyInstance, access: Access): onRequestHookHandler | onRequestHookHandler[] | undefined {
  if (access === 'user') return app.authenticate;
  if (access === 'admin') return [app.authenticate, adminRole];
  return access.sameOrigin ? sameOriginWrites : undefined;
}

/**
 * Sends a body that is already JSON: no serializer, no schema walk. A body the domain had in memory is sent at once
 * (no promise for Fastify to wait on, docs/decisions/008); one still loading is sent when it arrives, and its
 * error goes to the error handler. Private to this module: `getJson` is the one way to send such a body, so every
 * one is found and checked.
 */
function sendAnswer(reply: FastifyReply, body: JsonBody | Promise<JsonBody>): undefined | Promise<void> {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
    return body.then((b) => {
      reply.code(200).type(JSON_TYPE).send(b);
    });
  }
  reply.code(200).type(JSON_TYPE).send(body);
  return undefined;
}
