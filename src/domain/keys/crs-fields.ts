import { badRequest } from '../errors.js';

/** CRS has no owner field for admin-created keys, so ownership lives in tags (docs/crs.md §9). */
export const PORTAL_TAG = 'portal';
const OWNER_PREFIX = 'portal-user:';
export const ownerTag = (userId: string) => `${OWNER_PREFIX}${userId}`;
export const ownerTags = (userId: string) => [PORTAL_TAG, ownerTag(userId)];
export const ownerOf = (tags: string[]) => tags.find((t) => t.startsWith(OWNER_PREFIX))?.slice(OWNER_PREFIX.length);

/** The operator's tags kept, the portal's two put back (an operator's tag edit replaces the list, quirk 14). */
export const withOwnerTags = (tags: string[], userId: string) => [
  ...tags.filter((t) => t !== PORTAL_TAG && !t.startsWith(OWNER_PREFIX)),
  ...ownerTags(userId),
];

/**
 * CRS's model restriction is a block list (docs/decisions/004): the portal's `models` are the models this key may
 * NOT use; an empty list means every model.
 */
export const modelRestriction = (models: string[]) => ({
  enableModelRestriction: models.length > 0,
  restrictedModels: models,
});

/** The portal's view of CRS's two fields: with the restriction off, nothing is blocked. */
export const blockedModels = (k: { enableModelRestriction: boolean; restrictedModels: string[] }) =>
  k.enableModelRestriction ? [...new Set(k.restrictedModels)] : [];

export const sameModels = (a: string[], b: string[]) => a.length === b.length && a.every((m) => b.includes(m));

/** undefined = not given, null = never expires; a date must lie in the future. */
export function futureExpiry(value: string | null | undefined, now: Date): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const at = new Date(value);
  if (at.getTime() <= now.getTime()) throw badRequest('expiresAt', 'must be in the future', 'in_past');
  return at;
}

/*
 * The create marker (docs/decisions/010) rides in the CRS description: CRS cannot change a description after
 * creation (quirk 2), while an operator can replace the tags (quirk 14).
 */
const MARKER = /\[kp:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\]$/;
/** CRS's description limit, in UTF-16 code units like every CRS length. */
export const CRS_DESCRIPTION_MAX = 500;

export function withMarker(description: string, marker: string): string {
  const tag = `[kp:${marker}]`;
  const room = CRS_DESCRIPTION_MAX - tag.length - 1;
  const text = truncateUtf16(description, room);
  return text ? `${text} ${tag}` : tag;
}

export const markerOf = (description: string): string | undefined => MARKER.exec(description)?.[1];

/** At most `max` UTF-16 code units, never splitting a surrogate pair. */
export function truncateUtf16(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
