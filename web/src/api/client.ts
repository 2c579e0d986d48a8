/**
 * The one way the UI talks to the portal: same-origin fetch with the httpOnly `kp_session` cookie (the token is
 * never readable by scripts), and every failure turned into an ApiError carrying the API's error envelope.
 */

/** One entry of a 400's `details` (docs/api.md §2): the English `message`, and `code`/`params` to word it. */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

/**
 * How a field issue reads in the current language (i18n/issues.ts, set by the language provider as it renders).
 * Until then — and in code without a provider — the API's English message.
 */
let wordIssue: (issue: FieldIssue) => string = (issue) => issue.message;

export function setIssueWording(fn: (issue: FieldIssue) => string): void {
  wordIssue = fn;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's error code, or `network` when no answer came back. */
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** What is wrong with one field (`details[].path`), in the reader's language, for showing beside that field. */
  field(path: string): string | undefined {
    const issue = this.details.find((d) => d.path === path || d.path.startsWith(`${path}.`));
    return issue && wordIssue(issue);
  }
}

type Listener = () => void;
let onUnauthorized: Listener | undefined;

/** Called on any 401 from an authenticated call: the session expired or was revoked elsewhere. */
export function setUnauthorizedHandler(fn: Listener | undefined): void {
  onUnauthorized = fn;
}

let onMfaRequired: Listener | undefined;

/** Called on a 403 `mfa_required`: the operator requires a second factor this account has not set up yet. */
export function setMfaRequiredHandler(fn: Listener | undefined): void {
  onMfaRequired = fn;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Login and the first "who am I" answer 401 as a normal outcome, not as an expired session. */
  expect401?: boolean;
}

export async function request(path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The portal could not be reached');
  }
  if (res.ok) return res;
  const err = await toApiError(res);
  if (res.status === 401 && !opts.expect401) onUnauthorized?.();
  if (err.code === 'mfa_required') onMfaRequired?.();
  throw err;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(path, opts);
  if (res.status === 204 || res.status === 202) {
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return (await res.json()) as T;
}

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: unknown; requestId?: string };
    };
    const e = body.error ?? {};
    const details = Array.isArray(e.details) ? (e.details as FieldIssue[]) : [];
    return new ApiError(res.status, e.code ?? 'internal', e.message ?? res.statusText, details, e.requestId);
  } catch {
    return new ApiError(res.status, res.status >= 500 ? 'internal' : 'bad_request', res.statusText);
  }
}
