import { badRequest } from '../errors.js';

/** CRS has no owner field for admin-created keys, so ownership lives in tags (reference §9). */
export const PORTAL_TAG = 'portal';
export const ownerTag = (userId: string) => `portal-user:${userId}`;
export const ownerTags = (userId: string) => [PORTAL_TAG, ownerTag(userId)];

/**
 * CRS's model restriction is a block list (reference §3.3): the portal's `models` are the models this key may
 * NOT use; an empty list means every model.
 */
export const modelRestriction = (models: string[]) => ({
  enableModelRestriction: models.length > 0,
  restrictedModels: models,
});

/** undefined = not given, null = never expires; a date must lie in the future. */
export function futureExpiry(value: string | null | undefined, now: Date): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const at = new Date(value);
  if (at.getTime() <= now.getTime()) throw badRequest('expiresAt', 'must be in the future');
  return at;
}
