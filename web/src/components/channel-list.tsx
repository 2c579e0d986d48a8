import { useState } from 'react';
import type { ChannelView, NotificationCategory } from '../api/contract';
import { useDeleteChannel, useTestChannel, useUpdateChannel } from '../api/notification-queries';
import { type MessageKey, useI18n } from '../i18n';
import { CategoryPicks } from './category-picks';
import { ConfirmDialog } from './confirm-dialog';
import { useErrorText } from './error-message';
import { useToast } from './toast';
import { Button } from './ui';

/**
 * A user's channels as a list of cards (readable at 375 px, where a table would scroll): what each is, where it
 * goes, the events it receives (changed in place), its state, and a test message and removal.
 */
export function ChannelList({ channels, categories }: { channels: ChannelView[]; categories: NotificationCategory[] }) {
  return (
    <ul className="channel-list">
      {channels.map((c) => (
        <ChannelItem key={c.id} channel={c} categories={categories} />
      ))}
    </ul>
  );
}

function ChannelItem({ channel: c, categories }: { channel: ChannelView; categories: NotificationCategory[] }) {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const errorText = useErrorText();
  const update = useUpdateChannel();
  const test = useTestChannel();
  const remove = useDeleteChannel();
  const [confirm, setConfirm] = useState(false);
  const name = c.type === 'email' ? t('notify.accountEmail') : c.label || t(`notify.type.${c.type}` as MessageKey);
  const sendTest = () =>
    test.mutate(c.id, {
      onSuccess: (r) => toast(r.ok ? t('notify.testOk') : t('notify.testFailed', { error: r.error ?? '' })),
      onError: (e) => toast(errorText(e).headline),
    });
  return (
    <li className="channel-item">
      <div className="channel-head">
        <div className="channel-name">
          <span className="badge badge-blue">{t(`notify.type.${c.type}` as MessageKey)}</span>
          <strong>{name}</strong>
          <span className="muted small mono truncate">{c.target}</span>
        </div>
        <span className={`badge ${c.status === 'active' ? 'badge-green' : 'badge-amber'}`}>
          {t(`notify.status.${c.status}`)}
        </span>
      </div>
      {c.status === 'paused' && (
        <div className="alert alert-warning alert-compact" role="status">
          {t('notify.paused', { n: c.failures, reason: c.pauseReason ?? '' })}
        </div>
      )}
      <CategoryPicks
        legend={t('notify.eventsOf', { name })}
        options={categories}
        value={c.events}
        disabled={update.isPending}
        onChange={(events) =>
          update.mutate({ id: c.id, body: { events } }, { onSuccess: () => toast(t('notify.saved')) })
        }
      />
      <div className="channel-foot">
        <span className="muted small">
          {c.followsDefaults ? t('notify.followsDefaults') : null}
          {c.verifiedAt ? ` ${t('notify.verified', { time: fmt.dateTime(c.verifiedAt) })}` : null}
        </span>
        <div className="row-actions">
          <Button size="sm" busy={test.isPending} onClick={sendTest}>
            {t('notify.test')}
          </Button>
          {c.type !== 'email' && (
            <Button size="sm" variant="ghost" className="text-danger" onClick={() => setConfirm(true)}>
              {t('notify.remove')}
            </Button>
          )}
        </div>
      </div>
      <ConfirmDialog
        open={confirm}
        title={t('notify.remove')}
        body={t('notify.removeConfirm', { name })}
        confirmLabel={t('notify.remove')}
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setConfirm(false)}
        onConfirm={() =>
          remove.mutate(c.id, {
            onSuccess: () => {
              setConfirm(false);
              toast(t('notify.removed'));
            },
          })
        }
      />
    </li>
  );
}
