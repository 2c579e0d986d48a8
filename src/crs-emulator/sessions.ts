import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { iso } from './time.js';

export interface Session {
  username: string;
  loginTime: number;
  lastActivity: number;
}

export const IDLE_MS = 86_400_000;

export type AuthResult =
  | { session: Session; token: string }
  | { status: 401; body: { error: string; message: string } };

/** Admin sessions: random 64-hex tokens, sliding 24 h idle expiry, no absolute expiry (docs/crs.md §3). */
export class Sessions {
  private readonly map = new Map<string, Session>();

  constructor(private readonly now: () => number) {}

  create(username: string): string {
    const token = randomBytes(32).toString('hex');
    const t = this.now();
    this.map.set(token, { username, loginTime: t, lastActivity: t });
    return token;
  }

  delete(token: string): void {
    this.map.delete(token);
  }

  clear(): void {
    this.map.clear();
  }

  authenticate(headers: IncomingHttpHeaders): AuthResult {
    const token = tokenOf(headers);
    if (!token) return fail('Missing admin token', 'Please provide an admin token');
    if (token.length < 32 || token.length > 512)
      return fail('Invalid admin token format', 'Admin token format is invalid');
    const s = this.map.get(token);
    const now = this.now();
    // The Redis session hash has a 24 h TTL re-armed by every request: once idle that long, it is gone.
    if (!s || now - s.lastActivity >= IDLE_MS) {
      this.map.delete(token);
      return fail('Invalid admin token', 'Invalid or expired admin session');
    }
    s.lastActivity = now;
    return { session: s, token };
  }

  view(s: Session) {
    return { username: s.username, loginTime: iso(s.loginTime), lastActivity: iso(s.lastActivity) };
  }
}

export function tokenOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1].trim();
  }
  const x = headers['x-admin-token'];
  if (typeof x === 'string' && x) return x;
  const cookie = headers.cookie;
  if (cookie) {
    const m = /(?:^|;\s*)adminToken=([^;]+)/.exec(cookie);
    if (m) return decodeURIComponent(m[1]);
  }
  return undefined;
}

function fail(error: string, message: string): AuthResult {
  return { status: 401, body: { error, message } };
}
