import { generate } from 'otplib';
import type { TestApp } from './app.js';
import { authHeaders, type TestUser } from './security-suite.js';

/** A TOTP code for the secret at this instant, computed as an authenticator app does. */
export const totp = (secret: string, at: Date | number) =>
  generate({ secret, epoch: Math.floor((typeof at === 'number' ? at : at.getTime()) / 1000) });

/** Enrols a TOTP factor for the user through the real routes; the secret and the recovery codes. */
export async function enrolTotp(
  t: TestApp,
  user: TestUser,
  now: () => Date = () => new Date(),
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/totp/setup', headers: authHeaders(user) });
  if (setup.statusCode !== 200) throw new Error(`setup: ${setup.statusCode} ${setup.body}`);
  const { secret } = setup.json();
  const confirm = await t.app.inject({
    method: 'POST',
    url: '/api/auth/mfa/totp/confirm',
    headers: authHeaders(user),
    payload: { code: await totp(secret, now()) },
  });
  if (confirm.statusCode !== 200) throw new Error(`confirm: ${confirm.statusCode} ${confirm.body}`);
  return { secret, recoveryCodes: confirm.json().recoveryCodes };
}
