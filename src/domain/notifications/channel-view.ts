import type { ChannelRow } from '../../infra/db/repos/notify-channels.js';
import type { ChannelType } from '../../infra/notify/types.js';
import type { PublicUser } from '../accounts/types.js';
import { effectiveEvents } from './routing.js';
import type { ChannelView, NotifyDefaults } from './types.js';

/** A channel as its owner sees it: where it goes without its secrets (a URL's path and query, a robot's token). */
export function channelView(row: ChannelRow, user: PublicUser, defaults: NotifyDefaults): ChannelView {
  return {
    id: row.id,
    type: row.type as ChannelType,
    label: row.label,
    target: targetSummary(row, user.email),
    events: effectiveEvents(row.type, row.events, user.role, defaults),
    followsDefaults: row.type === 'email' && row.events === null,
    status: row.status,
    failures: row.failures,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    pauseReason: row.pauseReason,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function targetSummary(row: ChannelRow, email: string): string {
  const t = row.target ?? {};
  if (row.type === 'email') return email;
  if (row.type === 'webhook') {
    // The path and query may carry the receiver's own secret: show where it goes, not how to call it.
    return URL.canParse(t.url ?? '') ? `${new URL(t.url).origin}/…` : '…';
  }
  const tail = `…${(t.token ?? '').slice(-4)}`;
  return row.type === 'telegram' ? `${t.chatId} · ${tail}` : tail;
}
