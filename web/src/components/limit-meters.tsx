import type { LimitUsage } from '../api/contract';
import { type MessageKey, useI18n } from '../i18n';
import { barMeters, current, DANGER_AT, fraction, level, MONEY_KINDS, WARN_AT } from '../lib/meters';

const LABEL: Record<LimitUsage['kind'], MessageKey> = {
  daily_cost: 'meter.daily_cost',
  total_cost: 'meter.total_cost',
  weekly_opus_cost: 'meter.weekly_opus_cost',
  window_requests: 'meter.window_requests',
  window_tokens: 'meter.window_tokens',
  window_cost: 'meter.window_cost',
  concurrency: 'meter.concurrency',
  expiry: 'meter.expiry',
};
const SHORT: Record<LimitUsage['kind'], MessageKey> = {
  daily_cost: 'meter.short.daily_cost',
  total_cost: 'meter.short.total_cost',
  weekly_opus_cost: 'meter.short.weekly_opus_cost',
  window_requests: 'meter.short.window_requests',
  window_tokens: 'meter.short.window_tokens',
  window_cost: 'meter.short.window_cost',
  concurrency: 'meter.short.concurrency',
  expiry: 'meter.short.expiry',
};

/**
 * A native <meter>: its low/high marks are the amber and red thresholds, so the browser colours it (and says it)
 * the same way the labels do.
 */
function Bar({ m, label }: { m: LimitUsage; label: string }) {
  const limit = m.limit ?? 0;
  return (
    <meter
      className={`meter-bar meter-${level(m)}`}
      aria-label={label}
      min={0}
      max={limit}
      low={limit * WARN_AT}
      high={limit * DANGER_AT}
      optimum={0}
      value={Math.min(m.used ?? 0, limit)}
    />
  );
}

/**
 * A key's limit meters. `compact` (the key list): the two fullest as thin bars with their share, the rest on hover;
 * full (key detail): every limit with used / limit, its bar and when it resets, in CRS's time.
 */
export function LimitMeters({ meters, compact }: { meters: LimitUsage[]; compact?: boolean }) {
  const { t, fmt } = useI18n();
  const now = Date.now();
  const live = meters.map((m) => current(m, now));
  const amount = (m: LimitUsage, v: number | null) =>
    v === null ? '—' : MONEY_KINDS.has(m.kind) ? fmt.money(v) : fmt.number(v);
  const resets = (m: LimitUsage) => {
    if (m.kind === 'expiry') return m.resetsAt ? t('meter.expiresIn', { when: fmt.relative(m.resetsAt, now) }) : '';
    if (m.kind === 'total_cost') return t('meter.neverResets');
    if (m.kind === 'concurrency') return t('meter.noFigure');
    if (!m.resetsAt) return m.kind.startsWith('window_') ? t('meter.noWindow') : '';
    return t('meter.resetsIn', { when: fmt.relative(m.resetsAt, now) });
  };
  if (compact) {
    const bars = barMeters(live);
    if (bars.length === 0) return <span className="muted small">{live.length ? '—' : t('common.unlimited')}</span>;
    const all = live.map((m) => `${t(LABEL[m.kind])}: ${amount(m, m.used)} / ${amount(m, m.limit)}`).join('\n');
    return (
      <div className="meters-compact" title={all}>
        {bars.slice(0, 2).map((m) => (
          <div key={m.kind} className="meter-compact">
            <span className="meter-name">{t(SHORT[m.kind])}</span>
            <Bar m={m} label={t(LABEL[m.kind])} />
            <span className={`meter-pct meter-text-${level(m)}`}>{fmt.percent(Math.min(9.99, fraction(m) ?? 0))}</span>
          </div>
        ))}
      </div>
    );
  }
  if (live.length === 0) return <p className="muted">{t('meter.none')}</p>;
  return (
    <ul className="meters">
      {live.map((m) => (
        <li key={m.kind} className={`meter meter-row-${level(m)}`}>
          <div className="meter-head">
            <span className="meter-label">{t(LABEL[m.kind])}</span>
            <span className="meter-value">
              {m.kind === 'expiry'
                ? m.resetsAt && fmt.dateTime(m.resetsAt)
                : m.used === null
                  ? t('meter.limitOnly', { limit: amount(m, m.limit) })
                  : t('meter.usedOf', { used: amount(m, m.used), limit: amount(m, m.limit) })}
            </span>
          </div>
          {fraction(m) !== null && <Bar m={m} label={t(LABEL[m.kind])} />}
          <div className="meter-foot muted small" title={m.resetsAt ? fmt.dateTime(m.resetsAt) : undefined}>
            {resets(m)}
            {m.asOf && ` · ${t('meter.readAt', { when: fmt.relative(m.asOf, now) })}`}
          </div>
        </li>
      ))}
    </ul>
  );
}
