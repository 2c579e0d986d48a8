import { z } from 'zod';

/*
 * Request and response schemas of /api/auth. Requests are strict (an unknown field is a 400 naming it);
 * responses are allow-lists, so a column such as password_hash can never reach a client.
 */

// Control characters have no place in a name and PostgreSQL refuses NUL outright (that would be a 500).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: 'must be at most 254 characters' })
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
  displayName: z
    .string()
    .trim()
    .max(100, { message: 'must be at most 100 characters' })
    .regex(NO_CONTROL, { message: 'must not contain control characters' })
    .optional(),
  inviteCode: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(200, { message: 'must be at most 200 characters' })
    .regex(NO_CONTROL, { message: 'must not contain control characters' })
    .optional(),
});

export const loginBody = z.strictObject({ email: emailSchema, password: givenPassword });

export const passwordBody = z.strictObject({ currentPassword: givenPassword, newPassword: newPasswordSchema });

export const sessionParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  createdAt: z.string(),
});

export const signedInSchema = z.object({
  user: userSchema,
  token: z.string().describe('The session token: send it as `Authorization: Bearer <token>`'),
  expiresAt: z.string(),
});

export const meSchema = z.object({ user: userSchema });

export const sessionsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string(),
      lastSeenAt: z.string(),
      userAgent: z.string().nullable(),
      ip: z.string().nullable(),
      current: z.boolean(),
    }),
  ),
});

export const noContent = z.null().describe('No content');
