import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../infra/db/client.js';
import { settingOrCreate } from '../../infra/db/repos/settings.js';

/*
 * Device cookies (docs/decisions/014): after a successful sign-in the browser gets `<device id>.<MAC>`, the MAC
 * binding the id to the account's address with a key every instance shares (created once in portal_settings).
 * The cookie is not a credential — it only lets that browser's attempts be counted apart from everyone else's, so
 * failures elsewhere never lock it out. Whoever reads the database can mint one: that buys ten guesses per quarter
 * hour per minted device, no more than the per-account budget already allows.
 */
const KEY_SETTING = 'device_cookie_key';
const SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

export function createDevices(db: Db) {
  let key: Promise<Buffer> | undefined;
  const secret = () => {
    if (!key) {
      key = settingOrCreate(db, KEY_SETTING, randomBytes(32).toString('base64url')).then((v) =>
        Buffer.from(v, 'base64url'),
      );
      // A failed read is retried by the next sign-in rather than remembered.
      key.catch(() => {
        key = undefined;
      });
    }
    return key;
  };
  const mac = async (id: string, account: string) =>
    createHmac('sha256', await secret())
      .update(`${id}|${account}`)
      .digest();

  return {
    async issue(account: string): Promise<string> {
      const id = randomBytes(16).toString('base64url');
      return `${id}.${(await mac(id, account)).toString('base64url')}`;
    },
    /** The device id when `token` was issued for this account, otherwise undefined (never throws on garbage). */
    async verify(token: string | undefined, account: string): Promise<string | undefined> {
      if (!token || !SHAPE.test(token)) return undefined;
      const [id, given] = token.split('.');
      const expected = await mac(id, account);
      return timingSafeEqual(expected, Buffer.from(given, 'base64url')) ? id : undefined;
    },
  };
}

export type Devices = ReturnType<typeof createDevices>;
