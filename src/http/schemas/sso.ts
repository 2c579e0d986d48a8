import { z } from 'zod';
import { userView } from './auth.js';
import { singleLine } from './common.js';

/* OpenID Connect single sign-on (docs/decisions/028). */

export const ssoStartQuery = z.strictObject({
  next: singleLine(0, 500).optional().describe('A path of this portal to return to after signing in'),
});

export const ssoCallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(1000).optional(),
  session_state: z.string().max(1000).optional(),
});

export const ssoPending = z.object({
  kind: z.enum(['link', 'signup']).describe('link: prove the local account’s password; signup: give an invite code'),
  email: z.string(),
});

export const ssoCompleteBody = z.strictObject({
  password: z.string().min(1, { message: 'is required' }).max(200).optional(),
  inviteCode: singleLine(1, 200).optional(),
});

export const ssoCompleted = z.object({
  next: z.string(),
  user: userView.optional(),
  mfa: z
    .object({ challenge: z.string(), expiresAt: z.string(), methods: z.array(z.enum(['totp', 'recovery'])) })
    .optional(),
});

export type SsoPending = z.infer<typeof ssoPending>;
export type SsoCompleteBody = z.input<typeof ssoCompleteBody>;
export type SsoCompleted = z.infer<typeof ssoCompleted>;
