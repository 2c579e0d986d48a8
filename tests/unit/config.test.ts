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
    expect(c.crs.redisUrl).toBeUndefined();
    const direct = loadConfig({
      CRS_BASE_URL: 'http://crs:3000',
      CRS_ADMIN_USERNAME: 'admin',
      CRS_ADMIN_PASSWORD: 'secret',
      CRS_REDIS_URL: 'redis://reader:pw@crs-redis:6379/0',
    });
    expect(direct.crs.redisUrl).toBe('redis://reader:pw@crs-redis:6379/0');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REGISTRATION: 'maybe' }, 'REGISTRATION'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ CRS_BASE_URL: 'not a url' }, 'CRS_BASE_URL'],
    [{ CRS_BASE_URL: 'http://crs' }, 'CRS_ADMIN_USERNAME'],
    [{ SYNC_INTERVAL: '1' }, 'SYNC_INTERVAL'],
    [{ SYNC_LIMIT_READS: '-1' }, 'SYNC_LIMIT_READS'],
    [{ SYNC_MODEL_READS: '5000' }, 'SYNC_MODEL_READS'],
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ ADMIN_PASSWORD: 'long enough password' }, 'ADMIN_PASSWORD: needs ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD: must be 10'],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'x'.repeat(12), ADMIN_PASSWORD_FILE: '/x' }, 'not both'],
    [{ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD_FILE: '/no/such/file' }, 'ADMIN_PASSWORD_FILE'],
    [{ PUBLIC_URL: 'https://portal.example.com/app' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://portal.example.com' }, 'PUBLIC_URL'],
    [{ SESSION_MAX_PER_USER: '0' }, 'SESSION_MAX_PER_USER'],
    [{ INVITE_TTL_DAYS: '0' }, 'INVITE_TTL_DAYS'],
    [{ CRS_REDIS_URL: 'http://crs-redis' }, 'CRS_REDIS_URL'],
    [{ CRS_REDIS_URL: 'redis://crs-redis:6379' }, 'CRS_REDIS_URL: needs CRS_BASE_URL'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });

  it('bounds the sync’s per-key reads (decisions 024, 025): 50 and 20 by default, 0 turns them off', () => {
    expect(loadConfig({}).syncKeyReads).toEqual({ limits: 50, models: 20 });
    expect(loadConfig({ SYNC_LIMIT_READS: '0', SYNC_MODEL_READS: '7' }).syncKeyReads).toEqual({ limits: 0, models: 7 });
  });

  it('reads the security settings', () => {
    const c = loadConfig({
      PUBLIC_URL: 'https://portal.example.com/',
      ADMIN_EMAIL: 'Ops@Example.com',
      ADMIN_PASSWORD: 'operator password',
      TRUST_PROXY: '1',
    });
    expect(c.publicUrl?.origin).toBe('https://portal.example.com');
    expect(c).toMatchObject({
      adminEmail: 'ops@example.com',
      adminPassword: 'operator password',
      trustProxy: 1,
      sessionMaxPerUser: 20,
      inviteTtlDays: 7,
      keyWritesPerMinute: 30,
    });
  });
});

describe('sign-in configuration (docs/decisions/027, 028)', () => {
  const base = { CRS_BASE_URL: 'http://crs:3000', CRS_ADMIN_USERNAME: 'a', CRS_ADMIN_PASSWORD: 'b' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return [];
    } catch (e) {
      return (e as ConfigError).problems;
    }
  };

  it('builds the OIDC settings with the redirect URI on PUBLIC_URL', () => {
    const c = loadConfig({
      ...base,
      PUBLIC_URL: 'https://portal.example.com',
      OIDC_ISSUER: 'https://id.example.com/realms/team',
      OIDC_CLIENT_ID: 'portal',
      OIDC_ALLOWED_DOMAINS: 'Example.com, @corp.example',
      OIDC_ADMIN_CLAIM: 'groups',
      OIDC_ADMIN_VALUES: 'admins,ops',
    });
    expect(c.oidc).toMatchObject({
      clientId: 'portal',
      redirectUri: 'https://portal.example.com/api/auth/oidc/callback',
      allowedDomains: ['example.com', 'corp.example'],
      adminValues: ['admins', 'ops'],
      ssoOnly: false,
      scopes: 'openid email profile',
    });
    expect(c.mfaRememberDays).toBe(30);
  });

  it.each([
    [{ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'p' }, 'PUBLIC_URL'],
    [{ OIDC_ISSUER: 'http://id.example.com', OIDC_CLIENT_ID: 'p', PUBLIC_URL: 'https://p.example' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://id.example.com', PUBLIC_URL: 'https://p.example' }, 'OIDC_CLIENT_ID'],
    [{ SSO_ONLY: 'true' }, 'SSO_ONLY'],
    [{ OIDC_CLIENT_ID: 'p' }, 'OIDC_CLIENT_ID'],
    [
      {
        OIDC_ISSUER: 'https://id.example.com',
        OIDC_CLIENT_ID: 'p',
        PUBLIC_URL: 'https://p.example',
        OIDC_SCOPES: 'email',
      },
      'OIDC_SCOPES',
    ],
    [
      {
        OIDC_ISSUER: 'https://id.example.com',
        OIDC_CLIENT_ID: 'p',
        PUBLIC_URL: 'https://p.example',
        OIDC_ADMIN_CLAIM: 'g',
      },
      'OIDC_ADMIN_VALUES',
    ],
    [{ MFA_REMEMBER_DAYS: '-1' }, 'MFA_REMEMBER_DAYS'],
  ])('refuses %j naming %s', (env, name) => {
    expect(problems(env).join('\n')).toContain(name);
  });

  it('allows a plain-http issuer on loopback only (development and tests)', () => {
    const c = loadConfig({
      ...base,
      PUBLIC_URL: 'http://127.0.0.1:3000',
      OIDC_ISSUER: 'http://127.0.0.1:9000',
      OIDC_CLIENT_ID: 'p',
    });
    expect(c.oidc?.issuer.href).toBe('http://127.0.0.1:9000/');
  });
});
