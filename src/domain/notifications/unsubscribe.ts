import type { Deps } from '../../deps.js';
import { channelOwner, updateChannel } from '../../infra/db/repos/notify-channels.js';
import { cancelDeliveries } from '../../infra/db/repos/notify-outbox.js';
import { publicUrlOf } from './compose.js';
import { readDefaults } from './defaults.js';
import { unsubscribePage } from './messages/index.js';
import { LANGUAGES } from './types.js';
import type { UnsubscribeTokens } from './unsubscribe-token.js';

/**
 * One click to turn notification e-mail off (issue 14; RFC 8058): the link in every e-mail carries a token naming
 * the account e-mail channel. `confirm: false` (a GET) only shows the question; `confirm: true` (a POST, from the
 * page's button or a mail client's one-click) turns every category of that channel off and cancels what it still
 * had to send. Answers the page to show, in the recipient's language; an unknown token gets a page saying so.
 */
export function createUnsubscribe(deps: Pick<Deps, 'database' | 'clock' | 'config'>, tokens: UnsubscribeTokens) {
  const { db } = deps.database;
  const publicUrl = publicUrlOf(deps.config);

  return async function unsubscribe(token: string, confirm: boolean): Promise<{ found: boolean; html: string }> {
    const defaults = await readDefaults(db);
    const channelId = await tokens.channelOf(token);
    const owner = channelId ? await channelOwner(db, channelId) : undefined;
    if (!channelId || !owner || owner.type !== 'email') {
      return { found: false, html: unsubscribePage({ step: 'invalid' }, defaults.language, publicUrl) };
    }
    const language = LANGUAGES.find((l) => l === owner.language) ?? defaults.language;
    if (confirm) {
      const now = deps.clock();
      await deps.database.transaction(async (tx) => {
        await updateChannel(tx, channelId, { events: [] }, now);
        await cancelDeliveries(tx, channelId, 'unsubscribed', now);
      });
    }
    const step = confirm ? 'done' : 'confirm';
    return { found: true, html: unsubscribePage({ step, address: owner.email }, language, publicUrl) };
  };
}
