import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { router } from '../route.js';
import { noContent, signedInResponse } from '../schemas/auth.js';
import {
  mfaPolicyBody,
  mfaPolicyView,
  mfaProofBody,
  mfaStatus,
  mfaVerifyBody,
  recoveryCodes,
  totpConfirmBody,
  totpSetup,
} from '../schemas/mfa.js';
import { requestMeta, signInCookies } from './auth.js';

/** Two-factor authentication (docs/decisions/027): the sign-in's second step, enrolment, the admins' policy. */
export async function mfaRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { accounts } = services;
  const r = router(app, ['auth']);
  const meta = (req: Parameters<typeof requestMeta>[0]) => requestMeta(req, app.cookieNames);

  r.post(
    '/auth/mfa/verify',
    {
      access: {
        public: 'the second step of a sign-in: needs the challenge the password answered; five tries per challenge',
        sameOrigin: true,
      },
      summary: 'Finish a sign-in with a TOTP or recovery code',
      body: mfaVerifyBody,
      response: { 200: signedInResponse },
      secret: true,
    },
    async (req, reply) => {
      return signInCookies(req, reply, services, await accounts.verifyMfa(req.body, meta(req)));
    },
  );

  r.get(
    '/auth/mfa',
    { access: 'user', beforeMfa: true, summary: 'Your second factor', response: { 200: mfaStatus } },
    async (req) => ({ ...(await accounts.mfa.status(req.auth)), rememberDays: accounts.mfaRememberDays }),
  );

  r.post(
    '/auth/mfa/totp/setup',
    {
      access: 'user',
      beforeMfa: true,
      summary: 'Start enrolling an authenticator app: a new secret and its QR code',
      response: { 200: totpSetup },
      secret: true,
    },
    async (req) => accounts.mfa.setup(req.auth),
  );

  r.post(
    '/auth/mfa/totp/confirm',
    {
      access: 'user',
      beforeMfa: true,
      summary: 'Turn two-factor on with the app’s first code; answers the recovery codes, shown once',
      body: totpConfirmBody,
      response: { 200: recoveryCodes },
      secret: true,
    },
    async (req) => accounts.mfa.confirm(req.auth, req.body.code, meta(req)),
  );

  r.post(
    '/auth/mfa/totp/disable',
    {
      access: 'user',
      summary: 'Turn two-factor off (a current or recovery code proves it is you)',
      body: mfaProofBody,
      response: { 204: noContent },
    },
    async (req, reply) => {
      await accounts.mfa.disable(req.auth, req.body, meta(req));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/auth/mfa/recovery-codes',
    {
      access: 'user',
      summary: 'New recovery codes (the old ones stop working)',
      body: mfaProofBody,
      response: { 200: recoveryCodes },
      secret: true,
    },
    async (req) => accounts.mfa.regenerate(req.auth, req.body, meta(req)),
  );

  r.delete(
    '/auth/mfa/devices',
    {
      access: 'user',
      summary: 'Forget every remembered browser: each asks for the second factor again',
      response: { 204: noContent },
    },
    async (req, reply) => {
      await accounts.mfa.forgetDevices(req.auth, meta(req));
      return reply.code(204).send(null);
    },
  );

  const admin = router(app, ['admin']);
  admin.get(
    '/admin/settings/mfa',
    { access: 'admin', summary: 'Who must use two-factor authentication', response: { 200: mfaPolicyView } },
    async () => ({ mfaRequired: await accounts.mfaPolicy.get() }),
  );
  admin.patch(
    '/admin/settings/mfa',
    {
      access: 'admin',
      summary: 'Require two-factor authentication of admins, of everyone, or of no one',
      body: mfaPolicyBody,
      response: { 200: mfaPolicyView },
    },
    async (req) => {
      await accounts.mfaPolicy.set(req.auth.user.id, req.body.mfaRequired, meta(req));
      return { mfaRequired: req.body.mfaRequired };
    },
  );
}
