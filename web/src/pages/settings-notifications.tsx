import type { NotificationSettings } from '../api/contract';
import { useNotificationSettings, useUpdateNotificationSettings } from '../api/notification-queries';
import { ChannelForm } from '../components/channel-form';
import { ChannelList } from '../components/channel-list';
import { DeliveryLogCard } from '../components/delivery-log';
import { ErrorMessage } from '../components/error-message';
import { useToast } from '../components/toast';
import { Card, Skeleton } from '../components/ui';
import { LOCALES, useI18n } from '../i18n';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/**
 * The notification section of the settings page (`/settings#notifications`, where every message's footer links):
 * the language and digest, the channels with their events, a form to add one, and the delivery log.
 */
export function NotificationsSection() {
  const { t } = useI18n();
  const settings = useNotificationSettings();
  return (
    <section id="notifications" className="stack notify-section" aria-labelledby="notify-title">
      <Card title={<span id="notify-title">{t('notify.title')}</span>}>
        <p className="muted">{t('notify.body')}</p>
        {settings.error ? (
          <ErrorMessage error={settings.error} onRetry={() => settings.refetch()} compact />
        ) : !settings.data ? (
          <Skeleton height="72px" width="100%" />
        ) : (
          <Preferences settings={settings.data} />
        )}
      </Card>
      {settings.data && (
        <Card title={t('notify.channels')}>
          <p className="muted small">{t('notify.channelsBody')}</p>
          {!settings.data.emailAvailable && (
            <div className="alert alert-warning alert-compact" role="status">
              {t('notify.noEmail')}
            </div>
          )}
          <ChannelList channels={settings.data.channels} categories={settings.data.categories} />
          <details className="disclosure">
            <summary>{t('notify.add')}</summary>
            <ChannelForm categories={settings.data.categories} />
          </details>
        </Card>
      )}
      <DeliveryLogCard />
    </section>
  );
}

function Preferences({ settings }: { settings: NotificationSettings }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateNotificationSettings();
  const save = (body: Parameters<typeof update.mutate>[0]) =>
    update.mutate(body, { onSuccess: () => toast(t('notify.saved')) });
  return (
    <div className="grid-2 gap notify-prefs">
      {update.error ? <ErrorMessage error={update.error} compact /> : null}
      <div className="field">
        <label htmlFor="notify-lang">{t('notify.language')}</label>
        <select
          id="notify-lang"
          className="input"
          aria-describedby="notify-lang-hint"
          value={settings.language}
          onChange={(e) => save({ language: e.target.value === 'zh-CN' ? 'zh-CN' : 'en' })}
        >
          {LOCALES.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
        <p id="notify-lang-hint" className="field-hint">
          {t('notify.languageHint')}
        </p>
      </div>
      <fieldset className="field notify-digest">
        <legend className="label">{t('notify.digest')}</legend>
        <label className="inline-label">
          <input
            type="checkbox"
            checked={settings.digest.enabled}
            onChange={(e) => save({ digest: { enabled: e.target.checked } })}
          />
          {t('notify.digestBody')}
        </label>
        <label className="inline-label" htmlFor="notify-hour">
          {t('notify.digestHour')}
          <select
            id="notify-hour"
            className="input input-sm"
            value={settings.digest.hour}
            disabled={!settings.digest.enabled}
            onChange={(e) => save({ digest: { hour: Number(e.target.value) } })}
          >
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {`${String(h).padStart(2, '0')}:00`}
              </option>
            ))}
          </select>
        </label>
        <p className="field-hint">{t('notify.digestHint')}</p>
      </fieldset>
    </div>
  );
}
