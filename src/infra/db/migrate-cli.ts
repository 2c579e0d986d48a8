import { loadConfig } from '../../config.js';
import { openDatabase } from './client.js';
import { migrate } from './migrate.js';

// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded PGlite under DATA_DIR).
const config = loadConfig(process.env);
const database = await openDatabase(config);
try {
  await migrate(database);
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
