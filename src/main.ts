import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { startPortal } from './portal.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const portal = await startPortal(config, version);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    portal.logger.info({ signal }, 'shutting down');
    await portal.stop();
    process.exit(0);
  });
}
