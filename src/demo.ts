import type { Emulator } from './crs-emulator/index.js';
import type { Deps } from './deps.js';
import type { Services } from './services.js';

// Placeholder: creates the demo account and its keys once accounts and the emulator's seeding exist.
export async function bootstrapDemo(_services: Services, _deps: Deps, _emulator: Emulator): Promise<void> {}
