import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { settingOrCreate } from '../../infra/db/repos/settings.js';

/**
 * The one-click unsubscribe link's token (RFC 8058, docs/decisions/030): the channel's id and an HMAC of it with a
 * deployment-wide key kept in the database, so every instance makes and accepts the same tokens and nobody can
 * make one for another channel. It never expires (a link in an old e-mail still works) and only turns e-mail off.
 */
const KEY_NAME = 'notify.unsubscribe_key';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createUnsubscribeTokens(deps: Pick<Deps, 'database'>) {
  let key: Promise<Buffer> | undefined;
  const keyOf = () => {
    key ??= settingOrCreate(deps.database.db, KEY_NAME, randomBytes(32).toString('base64url')).then((v) =>
      Buffer.from(v, 'base64url'),
    );
    // A failed read is tried again next time, not remembered.
    key.catch(() => {
      key = undefined;
    });
    return key;
  };
  const mac = (k: Buffer, channelId: string) =>
    createHmac('sha256', k).update(`unsubscribe:${channelId}`).digest().subarray(0, 18);

  return {
    async tokenFor(channelId: string): Promise<string> {
      return `${channelId}.${mac(await keyOf(), channelId).toString('base64url')}`;
    },
    /** The channel a token names, or undefined for anything not made by `tokenFor`. */
    async channelOf(token: string): Promise<string | undefined> {
      const [id, sig, extra] = token.split('.');
      if (extra !== undefined || !id || !sig || !UUID.test(id)) return undefined;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(await keyOf(), id);
      return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
    },
  };
}

export type UnsubscribeTokens = ReturnType<typeof createUnsubscribeTokens>;
