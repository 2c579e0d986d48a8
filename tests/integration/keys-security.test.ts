import { createTestApp } from '../helpers/app.js';
import { securitySuite } from '../helpers/security-suite.js';
import { keySpecs } from '../security/specs/keys.js';

const t = await createTestApp();

for (const spec of keySpecs(t)) securitySuite(t, spec);
