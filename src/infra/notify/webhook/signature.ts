import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The generic webhook's signature (docs/webhooks.md): `X-KP-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256 with the channel's secret over `<t>.<raw body>`. The timestamp is inside the signed text, so a
 * captured request cannot be replayed later with a fresh `t`; receivers refuse a `t` too far from their clock.
 */
export const SIGNATURE_HEADER = 'x-kp-signature';
export const EVENT_ID_HEADER = 'x-kp-event-id';
export const EVENT_TYPE_HEADER = 'x-kp-event-type';
/** How far a signature's timestamp may be from the receiver's clock (the default of `verifySignature`). */
export const SIGNATURE_TOLERANCE_SEC = 300;

export function sign(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver does with the header (the snippet in docs/webhooks.md is this function). Several `v1` entries
 * are accepted, so a secret can be rotated by signing with both for a while.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowSeconds: number,
  toleranceSec = SIGNATURE_TOLERANCE_SEC,
): Verdict {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const candidates = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => v);
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(nowSeconds - t) > toleranceSec) return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const match = candidates.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return match ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
