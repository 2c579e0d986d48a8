import type { Deps } from '../../deps.js';
import {
  type ChannelRow,
  channelsOf,
  countChannels,
  deleteChannel,
  ensureEmailChannels,
  findChannel,
  insertChannel,
  markVerified,
  prefsOf,
  updateChannel,
} from '../../infra/db/repos/notify-channels.js';
import { cancelDeliveries, insertDeliveries, insertEvents } from '../../infra/db/repos/notify-outbox.js';
import type { Notifier } from '../../infra/notify/types.js';
import type { PublicUser } from '../accounts/types.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { Limits } from '../limits.js';
import { type ChannelInput, channelTarget } from './channel-input.js';
import { channelView } from './channel-view.js';
import { type Composer, channelOf } from './compose.js';
import { readDefaults } from './defaults.js';
import { newEventId } from './payload.js';
import { type Category, type ChannelView, LANGUAGES } from './types.js';

/** A user's channels: the account e-mail (built in) and up to this many more. */
export const MAX_CHANNELS = 20;
/** Test messages per user per minute: each one reaches out to a URL or an inbox. */
const TESTS_PER_MINUTE = 5;

export interface ChannelsDeps {
  deps: Pick<Deps, 'database' | 'clock' | 'config'>;
  notifier: Notifier;
  compose: Composer;
  limits: Pick<Limits, 'spend'>;
}

/** Adding, changing, removing and testing a user's channels (issue 14; docs/decisions/030). */
export function createChannels({ deps, notifier, compose, limits }: ChannelsDeps) {
  const { db } = deps.database;

  const checkEvents = (user: PublicUser, events: Category[]) => {
    if (user.role !== 'admin' && events.includes('system')) {
      throw badRequest('events', '"system" events are for administrators');
    }
  };

  async function owned(user: PublicUser, id: string): Promise<ChannelRow> {
    const row = await findChannel(db, user.id, id);
    if (!row) throw notFound('Channel');
    return row;
  }

  const view = async (user: PublicUser, row: ChannelRow) => channelView(row, user, await readDefaults(db));

  return {
    async list(user: PublicUser): Promise<ChannelView[]> {
      // The account e-mail exists for everyone once e-mail is configured (made here on first sight).
      if (notifier.emailEnabled) await ensureEmailChannels(db, { userIds: [user.id] });
      const defaults = await readDefaults(db);
      return (await channelsOf(db, user.id))
        .filter((c) => c.type !== 'email' || notifier.emailEnabled)
        .map((c) => channelView(c, user, defaults));
    },

    async create(
      user: PublicUser,
      input: ChannelInput & { label: string; events: Category[] },
    ): Promise<{ channel: ChannelView; secret?: string }> {
      checkEvents(user, input.events);
      const { target, secret } = channelTarget(input, deps.config.notify);
      if ((await countChannels(db, user.id)) >= MAX_CHANNELS + 1) {
        throw new AppError('conflict', `At most ${MAX_CHANNELS} channels per account`);
      }
      const row = await insertChannel(
        db,
        { userId: user.id, type: input.type, label: input.label, target, events: input.events },
        deps.clock(),
      );
      return { channel: await view(user, row), ...(secret ? { secret } : {}) };
    },

    /** `events: null` puts the account e-mail back on the admin's defaults; an empty list turns a channel off. */
    async update(
      user: PublicUser,
      id: string,
      patch: { label?: string; events?: Category[] | null },
    ): Promise<ChannelView> {
      const row = await owned(user, id);
      if (patch.events === null && row.type !== 'email') {
        throw badRequest('events', 'only the account e-mail follows the defaults');
      }
      if (patch.events) checkEvents(user, patch.events);
      const now = deps.clock();
      const updated = await deps.database.transaction(async (tx) => {
        const next = await updateChannel(tx, id, patch, now);
        if (patch.events?.length === 0) await cancelDeliveries(tx, id, 'channel turned off', now);
        return next;
      });
      return view(user, updated ?? row);
    },

    async remove(user: PublicUser, id: string): Promise<void> {
      const row = await owned(user, id);
      if (row.type === 'email') {
        throw new AppError('conflict', 'The account e-mail cannot be removed; turn its events off instead');
      }
      await deps.database.transaction(async (tx) => {
        await cancelDeliveries(tx, id, 'channel deleted', deps.clock());
        await deleteChannel(tx, id);
      });
    },

    /**
     * Sends a test message now (not through the outbox: its owner is waiting for the answer). A delivered one
     * verifies the channel and resumes it if it was paused; either way it appears in the delivery log.
     */
    async test(user: PublicUser, id: string): Promise<{ ok: boolean; error?: string; channel: ChannelView }> {
      const row = await owned(user, id);
      await limits.spend(
        `notify:test:${user.id}`,
        { max: TESTS_PER_MINUTE, windowMs: 60_000 },
        'Too many test messages; try again in a minute',
      );
      const now = deps.clock();
      const eventId = newEventId(now);
      const prefs = await prefsOf(db, user.id);
      const language = LANGUAGES.find((l) => l === prefs?.language) ?? (await readDefaults(db)).language;
      const channel = channelOf(row.type, row.target, user.email);
      const message = await compose(db, {
        eventId,
        kind: 'channel_test',
        payload: { kind: 'channel_test' },
        eventTime: now,
        language,
        channelId: row.id,
        channelType: row.type,
      });
      const result = channel
        ? await notifier.send(channel, message)
        : { ok: false as const, error: 'unknown channel type' };
      const error = result.ok ? undefined : result.error;
      await deps.database.transaction(async (tx) => {
        await insertEvents(tx, [
          {
            id: eventId,
            kind: 'channel_test',
            audience: 'user',
            userId: user.id,
            payload: { kind: 'channel_test' },
            createdAt: now,
          },
        ]);
        await insertDeliveries(
          tx,
          [
            {
              eventId,
              userId: user.id,
              channelId: row.id,
              channelType: row.type,
              channelLabel: row.label,
              state: result.ok ? 'delivered' : 'failed',
              nextAttemptAt: now,
              attempts: 1,
              lastError: error ?? null,
              deliveredAt: result.ok ? now : null,
            },
          ],
          now,
        );
        if (result.ok) await markVerified(tx, row.id, now);
      });
      return { ok: result.ok, ...(error ? { error } : {}), channel: await view(user, await owned(user, id)) };
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannels>;
