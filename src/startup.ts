import type { FastifyBaseLogger } from 'fastify';
import type { App } from './app.js';
import type { Config } from './config.js';
import type { CrsClient } from './infra/crs/types.js';
import { type Database, openDatabase } from './infra/db/client.js';
import { databaseFailureCause, databaseStartupMessage } from './infra/db/diagnose.js';

/**
 * The checks of the start path (src/portal.ts): each failure names the variable to fix and the cause, in one
 * line, instead of a stack trace. A StartupError ends the process with exit code 1 (src/main.ts).
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Opens the database and makes one round trip, so a wrong DATABASE_URL fails here and not in a migration. */
export async function reachDatabase(config: Config): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase(config);
  } catch (err) {
    throw new StartupError(failedToOpen(config, err));
  }
  try {
    await database.ping();
  } catch (err) {
    await database.close().catch(() => undefined);
    throw new StartupError(failedToOpen(config, err));
  }
  return database;
}

function failedToOpen(config: Config, err: unknown): string {
  return config.databaseUrl
    ? databaseStartupMessage(config.databaseUrl, err)
    : `DATA_DIR: cannot open the embedded database under ${config.dataDir}: ${databaseFailureCause(err)}`;
}

/** Binds the HTTP port; the jobs start only after this succeeded. Returns the address. */
export async function listen(app: App, config: Config): Promise<string> {
  try {
    return await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new StartupError(`PORT ${config.port} is already in use`);
    if (code === 'EACCES') throw new StartupError(`PORT ${config.port}: permission denied`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new StartupError(`HOST ${config.host}: not an address of this machine (${code})`);
    }
    throw err;
  }
}

/**
 * One authenticated call to CRS at start. Not fatal — the portal serves its stored data without CRS — but an
 * operator reading the log learns at once which setting is wrong.
 */
export async function checkCrs(crs: CrsClient, config: Config, logger: FastifyBaseLogger): Promise<void> {
  const probe = await crs.probe(config.crs.timeoutMs);
  const url = config.crs.baseUrl;
  if (probe.up) {
    logger.info({ crs: url }, 'CRS reachable; admin credentials accepted');
  } else if (probe.reason === 'credentials rejected') {
    logger.error(
      { crs: url, username: config.crs.adminUsername },
      `CRS_ADMIN_USERNAME / CRS_ADMIN_PASSWORD: CRS at ${url} rejected the credentials of "${config.crs.adminUsername}"; ` +
        'the portal serves its stored data and health reports crs down until they are fixed',
    );
  } else {
    logger.error(
      { crs: url, reason: probe.reason },
      `CRS_BASE_URL: cannot reach CRS at ${url}: ${probe.reason}; the portal serves its stored data until CRS answers`,
    );
  }
}
