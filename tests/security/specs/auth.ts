import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { hashToken } from '../../../src/domain/accounts/tokens.js';
import { sessions } from '../../../src/infra/db/schema.js';
import type { TestApp } from '../../helpers/app.js';
import { login, type SecuritySpec, TEST_PASSWORD } from '../../helpers/security-suite.js';

/** The signed-in routes of /api/auth (register and login are public: tests/security/specs/index.ts). */
export const authSpecs = (t: TestApp): SecuritySpec[] => [
  { method: 'GET', url: '/api/auth/me' },
  { method: 'POST', url: '/api/auth/logout' },
  { method: 'GET', url: '/api/auth/sessions' },
  {
    method: 'DELETE',
    url: `/api/auth/sessions/${randomUUID()}`,
    ownedResource: async (owner) => {
      const token = await login(t, owner.email, owner.password);
      const [row] = await t.deps.database.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(token)));
      return `/api/auth/sessions/${row.id}`;
    },
  },
  {
    method: 'POST',
    url: '/api/auth/password',
    body: {
      valid: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
      invalid: [
        { body: { currentPassword: TEST_PASSWORD, newPassword: 'short' }, field: 'newPassword' },
        { body: { newPassword: 'long enough password' }, field: 'currentPassword' },
      ],
    },
  },
];
