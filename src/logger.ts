import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Redaction is a second line of defence: code never logs a password, session token,
 * `cr_` key or CRS admin token in the first place (product.md §5).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'key-portal' },
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
