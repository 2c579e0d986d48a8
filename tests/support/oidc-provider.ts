import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID Provider (`oidc-provider`, the certified implementation) on a loopback port, for the single
 * sign-on tests and browser journeys: discovery, authorization with PKCE, a login form, the token and userinfo
 * endpoints, signed ID tokens. Consent is granted for the one client (a first-party portal), so a sign-in is:
 * the authorization URL → the provider's login form → back to the portal's redirect URI with a code.
 *
 * `tamper` rewrites the next ID tokens the token endpoint issues (audience, expiry, nonce, issuer), re-signed with
 * the provider's own key: what a confused or hostile provider could send, checked by the portal's client.
 */
export interface TestIdentity {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds (or replaces) an account the login form accepts by its id (the `sub`). */
  account(sub: string, claims: TestIdentity): void;
  /** Rewrites the ID token's claims in the next token answers (until set to undefined). */
  tamper(change: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined): void;
  /** Follows an authorization URL as a browser would, signing in as `sub`: answers the redirect back (with the code). */
  signIn(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: { redirectUris: string[]; port?: number }): Promise<TestProvider> {
  const accounts = new Map<string, TestIdentity>();
  let change: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const clientId = 'key-portal';
  const clientSecret = randomBytes(24).toString('base64url');

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: { devInteractions: { enabled: false } },
    adapter: memoryAdapter(),
    ttl: { Interaction: 600, Grant: 3600, Session: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    pkce: { methods: ['S256'], required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    // The portal is a first-party client: its scopes are granted without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const accountId = ctx.oidc.session?.accountId;
      const client = ctx.oidc.client;
      if (!accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (change && ctx.path === '/token' && body?.id_token) {
      const [, payload] = body.id_token.split('.');
      const claims = change(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
    }
  });

  const oidcCallback = provider.callback();
  server.on('request', async (req, res) => {
    try {
      const m = req.url?.match(/^\/interaction\/([\w-]+)(\/login)?$/);
      if (!m) return oidcCallback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'POST' && m[2]) {
        const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
        if (accounts.has(login)) {
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: login } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginForm(details.uid, [...accounts.keys()]));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    account: (sub, claims) => accounts.set(sub, claims),
    tamper: (c) => {
      change = c;
    },
    async signIn(authorizationUrl, sub) {
      const jar = new Map<string, string>();
      const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const keep = (res: Response) => {
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const eq = pair.indexOf('=');
          jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
      };
      let url = new URL(authorizationUrl);
      let init: RequestInit = {};
      for (let hop = 0; hop < 10; hop++) {
        const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: cookie() } });
        keep(res);
        const location = res.headers.get('location');
        await res.arrayBuffer();
        if (location) {
          const next = new URL(location, url);
          if (next.origin !== issuer) return next;
          url = next;
          init = {};
        } else if (url.pathname.startsWith('/interaction/') && !url.pathname.endsWith('/login')) {
          url = new URL(`${url.pathname}/login`, url);
          init = {
            method: 'POST',
            body: new URLSearchParams({ login: sub }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          };
        } else {
          throw new Error(`the provider stopped at ${url} with ${res.status}`);
        }
      }
      throw new Error('too many redirects at the provider');
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The provider's store, in memory and its own: set explicitly, so it does not warn about it. */
function memoryAdapter() {
  const stores = new Map<string, Map<string, { payload: Record<string, unknown>; consumed?: number }>>();
  return class MemoryAdapter {
    private readonly items: Map<string, { payload: Record<string, unknown>; consumed?: number }>;
    constructor(name: string) {
      this.items = stores.get(name) ?? new Map();
      stores.set(name, this.items);
    }
    async upsert(id: string, payload: Record<string, unknown>) {
      this.items.set(id, { payload });
    }
    async find(id: string) {
      const item = this.items.get(id);
      return item && { ...item.payload, ...(item.consumed ? { consumed: item.consumed } : {}) };
    }
    async findByUid(uid: string) {
      for (const [id, item] of this.items) if (item.payload.uid === uid) return this.find(id);
      return undefined;
    }
    async findByUserCode() {
      return undefined;
    }
    async consume(id: string) {
      const item = this.items.get(id);
      if (item) item.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      this.items.delete(id);
    }
    async revokeByGrantId(grantId: string) {
      for (const [id, item] of this.items) if (item.payload.grantId === grantId) this.items.delete(id);
    }
  };
}

function loginForm(uid: string, known: string[]): string {
  const options = known.map((k) => `<option value="${k}"></option>`).join('');
  return `<!doctype html><html lang="en"><head><title>Test provider — sign in</title></head><body>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${uid}/login">
<label for="login">Account</label> <input id="login" name="login" list="accounts" autocomplete="off">
<datalist id="accounts">${options}</datalist>
<button type="submit">Sign in at the provider</button></form></body></html>`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
