/**
 * KNOWN FAILURES of the page checks (tests/e2e/pages.spec.ts) — the one place they are listed, with what fails.
 *
 * Every page the route table lists is visited at 375 px, in both languages and both themes, signed out, as a user
 * and as an admin, and must not overflow sideways, must have no serious or critical axe violation, and must have its
 * own title. The pages listed here when the checks arrived (issue 15, part A) are fixed: the list is empty, and an
 * entry added needs its reason. The suite fails on any failure not listed here — and on a listed one that no
 * longer happens, so this list only ever shrinks.
 *
 * Key: the route table's path. `check`: `overflow`, `sideways` (a table scrolls sideways), or `axe:<rule id>`. `only`: limit an entry to some visits
 * (e.g. `{ theme: 'dark' }`) when the failure does not happen on the others.
 */
import type { Locale } from './support/app.js';
import type { Theme, Visitor } from './support/pages.js';

export interface KnownFailure {
  check: 'overflow' | 'sideways' | `axe:${string}`;
  /** What fails, as the checks reported it when it was listed. */
  what: string;
  only?: { locale?: Locale; theme?: Theme; visitor?: Visitor };
}

export const KNOWN_FAILURES: Record<string, KnownFailure[]> = {};
