/** Fixed credentials of the e2e run (a throwaway portal on loopback; nothing here is a real secret). */
export const ADMIN = { email: 'operator@e2e.test', password: 'operator-password-1' };
export const CRS_ADMIN = { adminUsername: 'crs-admin', adminPassword: 'crs-admin-password' };
export const PASSWORD = 'journey-password-1';

export function env(name: 'E2E_BASE_URL' | 'E2E_CRS_URL' | 'E2E_CONTROL_URL'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through \`npm run test:e2e\` (global setup starts the portal)`);
  return v;
}
