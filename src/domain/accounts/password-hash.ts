import { hash, verify } from '@node-rs/argon2';

/*
 * argon2id with the library's defaults, which are OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1).
 * The parameters are stored in each PHC string, so raising them later only affects new hashes.
 */

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False for a wrong password and for a stored hash that cannot be parsed: never throws on bad input. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * The stored "hash" of an account made through single sign-on: no argon2 string, so nothing verifies against it,
 * and login treats it like an unknown address (same work, same answer).
 */
export const NO_PASSWORD = '!sso';

let dummy: Promise<string> | undefined;

/**
 * Burns the same argon2 work as a real verification, for an email that has no account: the response time of
 * login must not tell whether an address is registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hash('dummy password that matches nothing');
  await verifyPassword(await dummy, password);
  return false;
}
