import { generateSecret, generateURI, verify } from 'otplib';
import { renderSVG } from 'uqr';

/*
 * TOTP as authenticator apps know it (RFC 6238: SHA-1, 6 digits, 30-second steps, docs/decisions/027). A code of
 * the step before or after the server's is accepted — a phone's clock a few seconds off must not lock anyone out —
 * and a code of the last accepted step, or any earlier one, is a replay: the caller passes that step in and
 * records the new one atomically (repos/mfa.ts acceptTotpStep).
 */
const STEP_SECONDS = 30;
const CODE = /^\d{6}$/;

export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an app scans, and the same as an SVG QR code (drawn here, so the web app ships no encoder). */
export function enrolment(secret: string, issuer: string, account: string): { uri: string; qrSvg: string } {
  const uri = generateURI({ issuer, label: account, secret });
  return { uri, qrSvg: renderSVG(uri, { ecc: 'M', border: 2 }) };
}

/** The time step the code belongs to when it is valid now (±1 step) and later than `afterStep`; else undefined. */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  afterStep: number,
): Promise<number | undefined> {
  if (!CODE.test(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: STEP_SECONDS,
    afterTimeStep: afterStep,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
