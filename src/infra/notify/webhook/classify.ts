import { networkFailure } from '../../../lib/network-error.js';
import { delivered, failed, type SendResult } from '../types.js';
import type { PostOutcome } from './http-post.js';

/**
 * HTTP answers in delivery terms: 2xx delivered; 408, 425, 429 and 5xx and any network failure worth another try
 * (with the receiver's Retry-After); any other 4xx permanent (the same request would be refused again); a 3xx
 * permanent, since redirects are not followed. Error texts never contain the URL: for platforms it holds the token.
 */
export function classifyHttp(outcome: PostOutcome, now = Date.now()): SendResult {
  if (outcome.kind === 'invalid') return failed(outcome.message, false);
  if (outcome.kind === 'network') {
    return failed(networkFailure(outcome.code) ?? `${outcome.code}: ${outcome.message}`, true);
  }
  const { status } = outcome;
  if (status >= 200 && status < 300) return delivered;
  const said = excerpt(outcome.body);
  const error = `HTTP ${status}${said ? `: ${said}` : ''}`;
  if (status >= 300 && status < 400) return failed(`${error} (redirects are not followed)`, false);
  if (status === 408 || status === 425 || status === 429 || status >= 500 || status < 200) {
    return failed(error, true, { retryAfterMs: retryAfterMs(outcome.headers['retry-after'], now) });
  }
  return failed(error, false);
}

/**
 * The platforms that answer 200 with an error code in the body (DingTalk, Feishu/Lark, WeCom): a non-2xx answer
 * is read by the HTTP rules; in a 2xx answer, code 0 (or no code) is delivered, a code in `retryable` is a rate
 * limit or a busy server, and any other code is the channel's configuration (a wrong token, a signature or
 * keyword check, a removed robot), which no retry repairs. A code missing from the list still counts as transient
 * when its message speaks of rate limits or overload.
 */
export function classifyCodeAnswer(
  outcome: PostOutcome,
  platform: string,
  fields: { code: string[]; message: string[] },
  retryable: ReadonlySet<number>,
): SendResult {
  if (outcome.kind !== 'response' || outcome.status < 200 || outcome.status >= 300) return classifyHttp(outcome);
  const body = jsonBody(outcome.body) ?? {};
  const code = Number(fields.code.map((k) => body[k]).find((v) => v !== undefined) ?? 0);
  const message = String(fields.message.map((k) => body[k]).find((v) => v !== undefined) ?? '');
  if (code === 0) return delivered;
  return failed(`${platform} error ${code}: ${excerpt(message)}`, retryable.has(code) || TRANSIENT_WORDS.test(message));
}

/** A JSON answer's fields, or undefined when the body is not a JSON object. */
export function jsonBody(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const TRANSIENT_WORDS = /frequen|too fast|too many|over ?limit|out of limit|busy|try again|timeout/i;

const excerpt = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 200);
