import type { Deps } from './deps.js';
import { type AccountsService, createAccounts } from './domain/accounts/index.js';
import { createKeys, type KeysService } from './domain/keys/index.js';

/** The composition root of the domain: one instance of each service, sharing the deps. */
export interface Services {
  accounts: AccountsService;
  keys: KeysService;
}

export function createServices(deps: Deps): Services {
  const accounts = createAccounts(deps);
  const keys = createKeys(deps);
  return { accounts, keys };
}
