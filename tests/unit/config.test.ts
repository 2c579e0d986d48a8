import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded demo mode', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: './data', demo: true, syncIntervalSec: 60 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
  });

  it('uses the production services when configured', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@db/kp',
      REDIS_URL: 'redis://cache:6379',
      CRS_BASE_URL: 'http://crs:3000',
      CRS_ADMIN_USERNAME: 'admin',
      CRS_ADMIN_PASSWORD: 'secret',
      REGISTRATION: 'invite',
      ADMIN_EMAIL: 'Ops@Example.com',
    });
    expect(c).toMatchObject({ demo: false, registration: 'invite', adminEmail: 'ops@example.com' });
    expect(c.crs.baseUrl).toBe('http://crs:3000');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REGISTRATION: 'maybe' }, 'REGISTRATION'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ CRS_BASE_URL: 'not a url' }, 'CRS_BASE_URL'],
    [{ CRS_BASE_URL: 'http://crs' }, 'CRS_ADMIN_USERNAME'],
    [{ SYNC_INTERVAL: '1' }, 'SYNC_INTERVAL'],
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });
});
