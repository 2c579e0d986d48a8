import { z } from 'zod';
import { singleLine } from './common.js';

/* Schemas of the second factor (docs/decisions/027): enrolment, the sign-in's second step, the admins' policy. */

const totpCode = z.string().regex(/^\d{6}$/, { message: 'must be the 6 digits the app shows' });
const recoveryCode = singleLine(10, 12).describe('One of the ten recovery codes, `xxxxx-xxxxx`');
const challenge = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { message: 'must be the challenge the sign-in answered' });

/** Exactly one of a current code and a recovery code. */
const oneProof = <T extends { code?: unknown; recoveryCode?: unknown }>(b: T, ctx: z.RefinementCtx) => {
  if ((b.code === undefined) === (b.recoveryCode === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['code'], message: 'give either code or recoveryCode' });
  }
};

export const mfaChallenge = z.object({
  mfa: z.object({
    challenge: z.string().describe('Send it with a code to POST /api/auth/mfa/verify'),
    expiresAt: z.string(),
    methods: z.array(z.enum(['totp', 'recovery'])),
  }),
});

export const mfaVerifyBody = z
  .strictObject({
    challenge,
    code: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
    remember: z.boolean().optional().describe('Skip the second factor on this browser for MFA_REMEMBER_DAYS'),
  })
  .superRefine(oneProof);

export const mfaProofBody = z
  .strictObject({ code: totpCode.optional(), recoveryCode: recoveryCode.optional() })
  .superRefine(oneProof);

export const totpConfirmBody = z.strictObject({ code: totpCode });

export const mfaStatus = z.object({
  totp: z.boolean(),
  enrolledAt: z.string().nullable(),
  recoveryCodesLeft: z.number(),
  rememberedDevices: z.number(),
  required: z.boolean().describe('The admins require a second factor of this account'),
  rememberDays: z.number().describe('How long "remember this browser" lasts; 0: not offered'),
});

export const totpSetup = z.object({
  secret: z.string().describe('Base32, for apps that cannot scan'),
  uri: z.string().describe('otpauth:// URI'),
  qrSvg: z.string().describe('The URI as an SVG QR code'),
});

export const recoveryCodes = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown this once; each works once'),
});

export const mfaPolicyView = z.object({ mfaRequired: z.enum(['off', 'admins', 'everyone']) });
export const mfaPolicyBody = z.strictObject({ mfaRequired: z.enum(['off', 'admins', 'everyone']) });

export type MfaChallenge = z.infer<typeof mfaChallenge>;
export type MfaVerifyBody = z.input<typeof mfaVerifyBody>;
export type MfaProofBody = z.input<typeof mfaProofBody>;
export type MfaStatus = z.infer<typeof mfaStatus>;
export type TotpSetup = z.infer<typeof totpSetup>;
export type RecoveryCodes = z.infer<typeof recoveryCodes>;
export type MfaPolicyView = z.infer<typeof mfaPolicyView>;
