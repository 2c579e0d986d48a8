import { randomBytes } from 'node:crypto';
import { hashToken } from '../tokens.js';

/*
 * Ten one-time recovery codes (docs/decisions/027): 50 random bits each, written `xxxxx-xxxxx` in an alphabet
 * without look-alikes, shown once and stored as SHA-256. 50 bits behind a per-challenge and per-user attempt
 * budget are far beyond guessing, and short enough to type from paper.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // 31 characters: no i, l, o, 0, 1
const SHAPE = /^[a-z0-9]{5}-?[a-z0-9]{5}$/;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** The hash of a code as the user typed it (case, spaces and the dash do not matter), or undefined for garbage. */
export function recoveryCodeHash(typed: string): string | undefined {
  const code = typed.trim().toLowerCase().replace(/\s+/g, '');
  if (!SHAPE.test(code)) return undefined;
  return hashToken(code.replace('-', ''));
}

export const hashRecoveryCode = (code: string): string => recoveryCodeHash(code)!;
