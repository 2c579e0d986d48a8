import { z } from 'zod';
import { FIRST_DAY, LAST_DAY } from '../../domain/usage/range.js';

/** Shared request/response pieces; every schema that takes a body is strict (unknown fields are a 400). */

export const idParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

/** `page` and `pageSize` of every paged list; lists differ only in their default page size. */
export const pageQuery = (defaultSize: number) => ({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(defaultSize),
});

/** A page of a list: the items and where they stand in the whole. */
export const paged = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number(), pageSize: z.number(), total: z.number() });

/**
 * The usage figures every answer shares (totals, key usage, model rows, CRS's trend): `tokens` is the sum of the
 * four parts (docs/api.md §4). The one declaration of the token split; the web app reads its type.
 */
export const tokenSplit = z.object({
  requests: z.number(),
  tokens: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreateTokens: z.number(),
  cacheReadTokens: z.number(),
  cost: z.number(),
});

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

/*
 * Characters no text field accepts: C0 controls (NUL included: PostgreSQL refuses it, which used to be a 500
 * after a CRS write), DEL, C1 controls, the line/paragraph separators and the bidi overrides that make a name read
 * differently from what it is. Multi-line fields keep tab, line feed and carriage return.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;

/**
 * Trimmed text that must not be blank once trimmed, measured as CRS measures it: in UTF-16 code units
 * (docs/crs.md, quirk 19). zod's `.max()` counts code points, so a 99-character name ending in an emoji (101 units)
 * would pass it and then fail in CRS.
 */
const bounded = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    // zod's own code and bounds for it, so a client words it as it words any other `too_big` (docs/api.md §2).
    .superRefine((s, ctx) => {
      if (s.length <= max) return;
      const message = `must be at most ${max} characters (UTF-16 code units)`;
      ctx.addIssue({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, input: s, message });
    });

/**
 * Trimmed one-line text (names, e-mail addresses, codes, searches): control characters are a 400 naming the field,
 * so they never reach CRS, the database or a log line. The one helper every text field goes through.
 */
export const singleLine = (min: number, max: number) =>
  bounded(min, max).regex(SINGLE_LINE, { message: 'must not contain control characters or line breaks' });

/** Trimmed text that may span lines (descriptions): line breaks and tabs, no other control character. */
export const multiLine = (min: number, max: number) =>
  bounded(min, max).regex(MULTI_LINE, { message: 'must not contain control characters' });

/** Trimmed text that must not be blank once trimmed. */
export const text = singleLine;

/** A timestamp in the calendar range every date of the portal keeps to (stats ranges, key expiry). */
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).refine(
  (s) => {
    // zod runs this after a failed format check too: a value that is no date is reported already.
    const t = Date.parse(s);
    if (Number.isNaN(t)) return true;
    const day = new Date(t).toISOString().slice(0, 10);
    return day >= FIRST_DAY && day <= LAST_DAY;
  },
  { message: `must be between ${FIRST_DAY} and ${LAST_DAY}` },
);

/** A body that may be left out entirely (Fastify hands the validator null then): treated as `{}`. */
export const optionalBody = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);

export type TokenSplit = z.infer<typeof tokenSplit>;
