import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The portal's two cookies (docs/decisions/015). When PUBLIC_URL is https they carry the `__Host-` prefix: the
 * browser then only accepts them Secure, for Path=/ and without a Domain, so a sibling subdomain cannot plant one.
 * Plain-http deployments (the demo, loopback) keep the bare names, which browsers refuse to prefix.
 */
export interface CookieNames {
  session: string;
  /** A known device's signed id (sign-in limits, docs/decisions/014). */
  device: string;
  /** A browser remembered for the second factor (docs/decisions/027). */
  trusted: string;
  /** The handle of an OpenID sign-in in flight, then of a pending link or sign-up (docs/decisions/028). */
  sso: string;
  /** Every cookie is Secure, whatever the request's scheme. */
  alwaysSecure: boolean;
}

export function cookieNames(config: Pick<Config, 'publicUrl'>): CookieNames {
  const https = config.publicUrl?.protocol === 'https:';
  const prefix = https ? '__Host-' : '';
  return {
    session: `${prefix}kp_session`,
    device: `${prefix}kp_device`,
    trusted: `${prefix}kp_mfa`,
    sso: `${prefix}kp_sso`,
    alwaysSecure: https,
  };
}

/** A device stays known for a year after its last sign-in. */
const DEVICE_MAX_AGE = 365 * 24 * 3600;

/**
 * Every value sent under `name` (a request may carry the same name twice: one cookie per path or domain). Only the
 * raw header is scanned: no full parse for the other cookies.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined || !header.includes(name)) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(safeDecode(part.slice(eq + 1).trim()));
  }
  return out;
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

const options = (req: FastifyRequest, names: CookieNames) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: names.alwaysSecure || req.protocol === 'https',
});

// Set-Cookie is written directly: the cookie plugin runs without its per-request hooks (app.ts), and in that
// mode its reply.setCookie would never flush the header.
export function setSignInCookies(
  req: FastifyRequest,
  reply: FastifyReply,
  names: CookieNames,
  s: { token?: string; deviceToken?: string; maxAge: number; trustedDeviceToken?: string; trustedMaxAge?: number },
): void {
  const o = options(req, names);
  const cookies: string[] = [];
  if (s.token) cookies.push(reply.server.serializeCookie(names.session, s.token, { ...o, maxAge: s.maxAge }));
  if (s.deviceToken) {
    cookies.push(reply.server.serializeCookie(names.device, s.deviceToken, { ...o, maxAge: DEVICE_MAX_AGE }));
  }
  if (s.trustedDeviceToken && s.trustedMaxAge) {
    cookies.push(reply.server.serializeCookie(names.trusted, s.trustedDeviceToken, { ...o, maxAge: s.trustedMaxAge }));
  }
  if (cookies.length) appendCookies(reply, cookies);
}

/**
 * The single sign-on's handle (a random id of a flow kept server-side), or its removal (`value` undefined).
 * SameSite=Lax: the provider sends the browser back with a top-level GET, which carries it.
 */
export function setSsoCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  names: CookieNames,
  value: string | undefined,
  maxAge = 900,
): void {
  const o = options(req, names);
  const cookie = value
    ? reply.server.serializeCookie(names.sso, value, { ...o, maxAge })
    : reply.server.serializeCookie(names.sso, '', { ...o, expires: new Date(0), maxAge: 0 });
  appendCookies(reply, [cookie]);
}

function appendCookies(reply: FastifyReply, cookies: string[]): void {
  const before = reply.getHeader('set-cookie');
  const had = before === undefined ? [] : Array.isArray(before) ? before.map(String) : [String(before)];
  reply.header('set-cookie', [...had, ...cookies]);
}

/** Drops the session cookie (the device cookie stays: the browser remains a known device). */
export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, names: CookieNames): void {
  const expired = { ...options(req, names), expires: new Date(0), maxAge: 0 };
  reply.header('set-cookie', reply.server.serializeCookie(names.session, '', expired));
}
