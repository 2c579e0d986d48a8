import type { PublicUser } from './types.js';

/** The only way a user row leaves the module: an allow-list of columns, never the password hash. */
export function toPublicUser(row: {
  id: string;
  email: string;
  displayName: string;
  role: 'user' | 'admin';
  createdAt: Date;
}): PublicUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}
