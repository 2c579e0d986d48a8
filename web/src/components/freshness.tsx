import { useI18n } from '../i18n';

/** "Data as of …", and a visible Stale badge when the API serves stored data because CRS is down. */
export function Freshness({ asOf, stale, timezone }: { asOf: string | null; stale: boolean; timezone?: string }) {
  const { t, fmt } = useI18n();
  return (
    <div className="freshness">
      <span className="muted small" title={timezone ? t('fresh.timezone', { tz: timezone }) : undefined}>
        {asOf ? t('fresh.asOf', { time: fmt.dateTime(asOf) }) : t('fresh.never')}
      </span>
      {stale && (
        <span className="badge badge-amber" title={t('fresh.staleTitle')}>
          {t('fresh.stale')}
          <span className="visually-hidden">: {t('fresh.staleTitle')}</span>
        </span>
      )}
    </div>
  );
}
