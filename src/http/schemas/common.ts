import { z } from 'zod';

/** Shared request/response pieces; every schema that takes a body is strict (unknown fields are a 400). */

export const idParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

/**
 * Trimmed text that must not be blank once trimmed, measured as CRS measures it: in UTF-16 code units
 * (docs/crs.md, quirk 19). zod's `.max()` counts code points, so a 99-character name ending in an emoji (101 units)
 * would pass it and then fail in CRS.
 */
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    .refine((s) => s.length <= max, { message: `must be at most ${max} characters (UTF-16 code units)` });

export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/** A body that may be left out entirely (Fastify hands the validator null then): treated as `{}`. */
export const optionalBody = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);
