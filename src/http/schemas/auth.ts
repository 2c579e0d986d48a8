import { z } from 'zod';
import { pageQuery, singleLine } from './common.js';

/*
 * Request and response schemas of /api/auth. Requests are strict (an unknown field is a 400 naming it);
 * responses are allow-lists, so a column such as password_hash can never reach a client.
 */

export const emailSchema = singleLine(0, 254)
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }));

export const newPasswordSchema = z
  .string()
  .min(10, { message: 'must be at least 10 characters' })
  .max(200, { message: 'must be at most 200 characters' });

/** Signing in does not judge the password's strength (rules may change); the cap only bounds argon2's input. */
const givenPassword = z
  .string()
  .min(1, { message: 'is required' })
  .max(200, { message: 'must be at most 200 characters' });

export const registerBody = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  displayName: singleLine(0, 100).optional(),
  inviteCode: singleLine(1, 200).optional(),
  setupToken: singleLine(1, 200)
    .optional()
    .describe('The one-time token printed at the first start without an admin: this account becomes the admin'),
});

export const loginBody = z.strictObject({ email: emailSchema, password: givenPassword });

export const passwordBody = z.strictObject({ currentPassword: givenPassword, newPassword: newPasswordSchema });

export const sessionParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

export const userView = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  createdAt: z.string(),
});

export const signedInResponse = z.object({
  user: userView,
  token: z.string().describe('The session token: send it as `Authorization: Bearer <token>`'),
  expiresAt: z.string(),
});

export const meResponse = z.object({
  user: userView,
  method: z
    .string()
    .describe('How this session signed in: password or sso, then +totp, +recovery or +device; or token'),
  mfa: z.object({
    enrolled: z.boolean(),
    required: z
      .boolean()
      .describe('The admins require a second factor: until it is enrolled, other routes answer mfa_required'),
  }),
});

/** Signed in: what /auth/me says; signed out (or a personal access token, which is no session): user null. */
export const sessionResponse = z.union([meResponse, z.object({ user: z.null() })]);

export const sessionsQuery = z.strictObject(pageQuery(20));

const session = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
  method: z.string().describe('How the session signed in: password or sso, then +totp, +recovery or +device'),
});

// Not `paged()`: this answer has always listed the counts first, and a serialised answer keeps its field order.
export const sessionsPage = z.object({
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  items: z.array(session),
});

export const noContent = z.null().describe('No content');

export type User = z.infer<typeof userView>;
export type Role = User['role'];
export type SessionResponse = z.infer<typeof sessionResponse>;
export type RegisterBody = z.input<typeof registerBody>;
export type LoginBody = z.input<typeof loginBody>;
export type PasswordBody = z.input<typeof passwordBody>;
export type SignedInResponse = z.infer<typeof signedInResponse>;
export type MeResponse = z.infer<typeof meResponse>;
export type Session = z.infer<typeof session>;
export type SessionsPage = z.infer<typeof sessionsPage>;
