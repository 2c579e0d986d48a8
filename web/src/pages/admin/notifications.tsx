import { type FormEvent, useEffect, useState } from 'react';
import type { NotifyDefaults } from '../../api/contract';
import { useNotifyDefaults, useUpdateNotifyDefaults } from '../../api/notification-queries';
import { CategoryPicks } from '../../components/category-picks';
import { DeliveryLogCard } from '../../components/delivery-log';
import { ErrorMessage } from '../../components/error-message';
import { useToast } from '../../components/toast';
import { Button, Card, SelectField, Skeleton } from '../../components/ui';
import { LOCALES, useI18n } from '../../i18n';

/** The admin's notification defaults, and every account's delivery log. */
export function NotificationsTab() {
  const { t } = useI18n();
  const defaults = useNotifyDefaults();
  return (
    <div className="stack">
      <Card title={t('notify.adminDefaults')}>
        <p className="muted">{t('notify.adminDefaultsBody')}</p>
        {defaults.error ? (
          <ErrorMessage error={defaults.error} onRetry={() => defaults.refetch()} compact />
        ) : defaults.data ? (
          <DefaultsForm initial={defaults.data} />
        ) : (
          <Skeleton height="120px" width="100%" />
        )}
      </Card>
      <DeliveryLogCard admin />
    </div>
  );
}

function DefaultsForm({ initial }: { initial: NotifyDefaults }) {
  const { t } = useI18n();
  const toast = useToast();
  const save = useUpdateNotifyDefaults();
  const [d, setD] = useState(initial);
  useEffect(() => setD(initial), [initial]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        emailEvents: d.emailEvents.filter((c) => c !== 'system'),
        adminEmailEvents: d.adminEmailEvents,
        language: d.language,
        digest: d.digest,
        digestHour: d.digestHour,
      },
      { onSuccess: () => toast(t('notify.saved')) },
    );
  };
  return (
    <form className="form" onSubmit={submit}>
      {save.error ? <ErrorMessage error={save.error} compact /> : null}
      <div className="field">
        <span className="label">{t('notify.emailEvents')}</span>
        <CategoryPicks
          legend={t('notify.emailEvents')}
          options={['usage', 'expiry', 'operator']}
          value={d.emailEvents}
          onChange={(emailEvents) => setD({ ...d, emailEvents })}
        />
      </div>
      <div className="field">
        <span className="label">{t('notify.adminEmailEvents')}</span>
        <CategoryPicks
          legend={t('notify.adminEmailEvents')}
          options={['usage', 'expiry', 'operator', 'system']}
          value={d.adminEmailEvents}
          onChange={(adminEmailEvents) => setD({ ...d, adminEmailEvents })}
        />
      </div>
      <div className="grid-2 gap">
        <SelectField
          label={t('notify.defaultLanguage')}
          value={d.language}
          onChange={(e) => setD({ ...d, language: e.target.value === 'zh-CN' ? 'zh-CN' : 'en' })}
          options={LOCALES.map((l) => ({ value: l.id, label: l.label }))}
        />
        <SelectField
          label={t('notify.defaultDigestHour')}
          value={String(d.digestHour)}
          onChange={(e) => setD({ ...d, digestHour: Number(e.target.value) })}
          options={Array.from({ length: 24 }, (_, h) => ({
            value: String(h),
            label: `${String(h).padStart(2, '0')}:00`,
          }))}
        />
      </div>
      <label className="inline-label">
        <input type="checkbox" checked={d.digest} onChange={(e) => setD({ ...d, digest: e.target.checked })} />
        {t('notify.defaultDigest')}
      </label>
      <div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('notify.save')}
        </Button>
      </div>
    </form>
  );
}
