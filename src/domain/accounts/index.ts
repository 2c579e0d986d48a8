import type { Deps } from '../../deps.js';
import type { SessionResolver } from './types.js';

// Placeholder: the accounts module (register, login, sessions, rate limiting) replaces this file.
export interface AccountsService extends SessionResolver {}

export function createAccounts(_deps: Deps): AccountsService {
  return {
    async resolve() {
      return null;
    },
  };
}
