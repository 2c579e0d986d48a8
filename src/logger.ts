import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Redaction is a second line of defence: code never logs a password, session token,
 * `cr_` key or CRS admin token in the first place (docs/product.md §5).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'key-portal' },
      serializers: { err: safeError },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'password',
          'token',
          'secret',
          'apiKey',
          '*.password',
          '*.token',
          '*.secret',
          '*.apiKey',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

interface QueryError extends Error {
  query: string;
  params: unknown[];
}

/**
 * A failed query's error (Drizzle's DrizzleQueryError) carries the SQL and its parameters — e-mail addresses, CRS
 * key ids, masked keys — in its message, stack and fields. Only the database's own message and code are logged,
 * with the stack's frames (where it failed), never the statement.
 */
export function safeError(err: unknown): unknown {
  const failed = queryErrorIn(err);
  if (!failed) return pino.stdSerializers.err(err as Error);
  const cause = (failed.cause ?? {}) as { message?: string; code?: string };
  const frames = (failed.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: (err as Error).constructor?.name ?? 'Error',
    message: `query failed: ${cause.message ?? 'unknown database error'}`,
    code: cause.code,
    stack: ['query failed', ...frames].join('\n'),
  };
}

function queryErrorIn(err: unknown): QueryError | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as Error).cause, depth++) {
    if ('query' in e && 'params' in e) return e as QueryError;
  }
  return undefined;
}
