import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { OverviewResponse, SyncResponse } from '../../api/contract';
import { qk, useOverview } from '../../api/queries';
import { ErrorMessage, useErrorText } from '../../components/error-message';
import { Freshness } from '../../components/freshness';
import { UsageChart } from '../../components/lazy-charts';
import { type Metric, MetricPicker } from '../../components/metric';
import { useToast } from '../../components/toast';
import { Button, Card, Skeleton } from '../../components/ui';
import { type MessageKey, useI18n } from '../../i18n';
import { HitRateTable } from './cache';

/** The CRS dashboard fields we know how to show; any other field is left out rather than shown raw. */
const CRS_FIELDS: { name: string; kind: 'count' | 'compact' | 'rate' | 'uptime' | 'bool' }[] = [
  { name: 'totalApiKeys', kind: 'count' },
  { name: 'activeApiKeys', kind: 'count' },
  { name: 'requestsToday', kind: 'count' },
  // Every token figure includes cache tokens; CRS's own "today" figure counts input + output only.
  { name: 'tokensToday', kind: 'compact' },
  { name: 'ioTokensToday', kind: 'compact' },
  { name: 'totalRequests', kind: 'count' },
  { name: 'totalTokens', kind: 'compact' },
  { name: 'rpm', kind: 'rate' },
  { name: 'tpm', kind: 'rate' },
  { name: 'uptimeSeconds', kind: 'uptime' },
  { name: 'redisConnected', kind: 'bool' },
];

export function OverviewTab() {
  const { t, fmt } = useI18n();
  const overview = useOverview();
  const data = overview.data;
  if (overview.error && !data) return <ErrorMessage error={overview.error} onRetry={() => overview.refetch()} />;
  return (
    <div className="stack">
      <div className="grid-2 gap">
        <div className="stack">
          <PortalCard data={data} />
          <Alerts data={data} />
        </div>
        <SyncCard data={data} />
      </div>
      <CrsCard data={data} />
      <CrsTrendCard data={data} />
      <Card title={`${t('admin.cache.hitRate')}${data ? ` · ${fmt.percent(data.cache.hitRate)}` : ''}`}>
        {data ? <HitRateTable stats={data.cache} /> : <Skeleton height="160px" width="100%" />}
      </Card>
    </div>
  );
}

function Alerts({ data }: { data?: OverviewResponse }) {
  const { t } = useI18n();
  return (
    <Card title={t('admin.alerts')}>
      {/* The hit rate beside it counts since start; the alerts look at the last 30 s (docs/product.md §2.7). */}
      <p className="muted small">{t('admin.alertsWindow')}</p>
      {!data ? (
        <Skeleton width="100%" height="40px" />
      ) : data.alerts.length === 0 ? (
        <div className="alert alert-success alert-compact">{t('admin.noAlerts')}</div>
      ) : (
        <div className="alert alert-warning alert-compact" role="alert">
          <ul className="plain">
            {data.alerts.map((a) => (
              <li key={a.name}>
                <code className="mono small">{a.name}</code> — {a.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

function PortalCard({ data }: { data?: OverviewResponse }) {
  const { t, fmt } = useI18n();
  const items: [MessageKey, string | undefined][] = [
    ['admin.portal.users', data && fmt.number(data.portal.users)],
    ['admin.portal.keys', data && fmt.number(data.portal.keys)],
    ['admin.portal.activeKeys', data && fmt.number(data.portal.activeKeys)],
    ['admin.cache.hitRate', data && fmt.percent(data.cache.hitRate)],
    ['admin.alerts', data && fmt.number(data.alerts.length)],
    ['admin.portal.mode', data && t(data.mode === 'demo' ? 'admin.mode.demo' : 'admin.mode.production')],
  ];
  return (
    <Card title={t('admin.portal')}>
      <div className="mini-stats">
        {items.map(([label, v]) => (
          <div key={label}>
            <span className="muted small">{t(label)}</span>
            <strong>{v === undefined ? <Skeleton width="3em" /> : v}</strong>
          </div>
        ))}
      </div>
    </Card>
  );
}

function SyncCard({ data }: { data?: OverviewResponse }) {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const toast = useToast();
  const errorText = useErrorText();
  const sync = useMutation({
    mutationFn: () => api<SyncResponse>('/api/admin/sync', { method: 'POST' }),
    onSuccess: () => {
      toast(t('admin.sync.started'));
      // The run takes a moment; look again shortly, then the stats it refreshed.
      setTimeout(() => {
        qc.invalidateQueries({ queryKey: qk.admin });
        qc.invalidateQueries({ queryKey: qk.stats });
        qc.invalidateQueries({ queryKey: qk.keys });
      }, 1500);
    },
    onError: (e) => toast(errorText(e).headline, 'error'),
  });
  const s = data?.sync;
  const when = (iso: string | null | undefined) => (iso ? fmt.relative(iso) : t('common.never'));
  return (
    <Card
      title={t('admin.sync')}
      actions={
        <Button variant="primary" size="sm" busy={sync.isPending} onClick={() => sync.mutate()}>
          {t('admin.sync.now')}
        </Button>
      }
    >
      {s ? (
        <dl className="kv">
          <div>
            <dt>{t('common.status')}</dt>
            <dd>
              <span className={`badge ${s.running ? 'badge-blue' : s.lastError ? 'badge-red' : 'badge-green'}`}>
                {s.running ? t('admin.sync.running') : t('admin.sync.idle')}
              </span>
            </dd>
          </div>
          <div>
            <dt>{t('admin.sync.lastRun')}</dt>
            <dd title={s.lastRunAt ? fmt.dateTime(s.lastRunAt) : undefined}>{when(s.lastRunAt)}</dd>
          </div>
          <div>
            <dt>{t('admin.sync.lastSuccess')}</dt>
            <dd title={s.lastSuccessAt ? fmt.dateTime(s.lastSuccessAt) : undefined}>{when(s.lastSuccessAt)}</dd>
          </div>
          <div>
            <dt>{t('admin.sync.duration')}</dt>
            <dd>{s.lastDurationMs === null ? '—' : fmt.duration(s.lastDurationMs)}</dd>
          </div>
          <div>
            <dt>{t('admin.sync.keysUpdated')}</dt>
            <dd>{s.keysUpdated === null ? '—' : fmt.number(s.keysUpdated)}</dd>
          </div>
          <div>
            <dt>{t('admin.sync.interval')}</dt>
            <dd>{fmt.duration(s.intervalSeconds * 1000)}</dd>
          </div>
          {s.lastError && (
            <div>
              <dt>{t('admin.sync.lastError')}</dt>
              <dd className="text-danger">{s.lastError}</dd>
            </div>
          )}
        </dl>
      ) : (
        <Skeleton height="150px" width="100%" />
      )}
    </Card>
  );
}

function CrsCard({ data }: { data?: OverviewResponse }) {
  const { t, fmt } = useI18n();
  const crs = data?.crs;
  const show = (kind: (typeof CRS_FIELDS)[number]['kind'], v: unknown) => {
    if (kind === 'bool') return v ? t('admin.crs.connected') : t('admin.crs.disconnected');
    const n = Number(v);
    if (kind === 'compact') return fmt.compact(n);
    if (kind === 'uptime') return fmt.duration(n * 1000);
    return fmt.number(n);
  };
  return (
    <Card
      title={t('admin.crs')}
      actions={crs && typeof crs.asOf === 'string' && <Freshness asOf={crs.asOf} stale={crs.stale === true} />}
    >
      <div className="mini-stats mini-stats-5">
        {CRS_FIELDS.map((f) => (
          <div key={f.name}>
            <span className="muted small">{t(`admin.crs.${f.name}` as MessageKey)}</span>
            <strong>{!crs ? <Skeleton width="3em" /> : f.name in crs ? show(f.kind, crs[f.name]) : '—'}</strong>
          </div>
        ))}
      </div>
    </Card>
  );
}

/** CRS's own daily totals across every key (portal or not), from its global trend. */
function CrsTrendCard({ data }: { data?: OverviewResponse }) {
  const { t } = useI18n();
  const [metric, setMetric] = useState<Metric>('tokens');
  const trend = data?.crsTrend;
  return (
    <Card
      title={t('admin.crsTrend')}
      actions={
        <>
          {trend?.asOf && <Freshness asOf={trend.asOf} stale={trend.stale} />}
          <MetricPicker value={metric} onChange={setMetric} />
        </>
      }
    >
      {!trend ? (
        <Skeleton height="280px" width="100%" />
      ) : trend.error ? (
        <p className="alert alert-error">{trend.error}</p>
      ) : (
        <UsageChart series={trend.days} metric={metric} label={t('admin.crsTrend')} />
      )}
    </Card>
  );
}
