import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { applyPretenuring, startHeapPolicy } from './lib/heap-policy.js';
import { startPortal } from './portal.js';
import { StartupError } from './startup.js';

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
// Process-wide, so here in the process's entry rather than in startPortal (which tests run many of per process).
startHeapPolicy({ minPercent: config.heapGrowthPercent, headroomMb: config.heapHeadroomMb });
applyPretenuring(config.heapPretenuring);

let portal: Awaited<ReturnType<typeof startPortal>>;
try {
  portal = await startPortal(config, version);
} catch (e) {
  // One line naming the variable and the cause; a stack trace only for what nobody anticipated.
  console.error(e instanceof StartupError ? e.message : e);
  process.exit(1);
}
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
