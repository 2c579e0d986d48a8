import type { IncomingHttpHeaders } from 'node:http';
import type { LatencyCtx } from './latency.js';
import type { Session, Sessions } from './sessions.js';
import type { EmulatorStore } from './store.js';

/** What a route handler gets: the state, and the parsed request. */
export interface Env {
  store: EmulatorStore;
  sessions: Sessions;
  adminUsername: string;
  adminPassword: string;
  startedAt: number;
  now(): number;
  /** In Redis mode: resolves when the writes so far are in Redis, so an answer never precedes its writes. */
  settled?(): Promise<void>;
}

export interface Req {
  method: string;
  path: string;
  /** Path with query, as CRS's 404 message quotes it. */
  url: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  session?: Session;
  token?: string;
}

export interface Reply {
  status: number;
  body: unknown;
  /**
   * Pre-serialised JSON, for the big fan-out responses (written as text, no intermediate objects): one string, or
   * its parts in order — sent one by one, so that a 400 MB answer is neither one string nor one blocking write.
   */
  raw?: string | string[];
  /** Inputs of the realistic latency model for this call. */
  cost?: Partial<LatencyCtx>;
}

export type Handler = (env: Env, req: Req) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: string;
  auth: boolean;
  handler: Handler;
}

export const ok = (body: unknown, cost?: Partial<LatencyCtx>): Reply => ({ status: 200, body, cost });
export const fail = (status: number, body: unknown): Reply => ({ status, body });

export function objectBody(req: Req): Record<string, unknown> {
  const b = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}
