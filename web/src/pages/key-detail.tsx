import { useState } from 'react';
import type { Key, TokenSplit } from '../api/contract';
import { useKey, useUsage } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { useKeyActions } from '../components/key-actions';
import { KeyStatusCell, OriginBadge, ToggleButton } from '../components/key-status';
import { UsageChart } from '../components/lazy-charts';
import { LimitMeters } from '../components/limit-meters';
import { type Metric, MetricPicker } from '../components/metric';
import { RangePicker } from '../components/range-picker';
import { TokenSplitBar } from '../components/token-split';
import { Button, Card, PageHeader, Skeleton } from '../components/ui';
import { useI18n } from '../i18n';
import { usePageTitle } from '../lib/page-title';
import { useUrlRange } from '../lib/range';
import { Link, navigate } from '../lib/router';
import { InstructionsCard, LimitsCard, ModelsCard } from './key-detail-sections';
import { RequestsCard } from './key-requests';

export function KeyDetailPage({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const key = useKey(id);
  const actions = useKeyActions({ onDeleted: () => navigate('/keys') });
  const k = key.data;
  usePageTitle(k?.name);

  if (key.error && !k) {
    return (
      <>
        <Link to="/keys" className="back-link">
          ← {t('detail.back')}
        </Link>
        <ErrorMessage error={key.error} onRetry={() => key.refetch()} />
      </>
    );
  }

  return (
    <>
      <Link to="/keys" className="back-link">
        ← {t('detail.back')}
      </Link>
      <PageHeader
        title={
          k ? (
            <span className="title-with-badge">
              {k.name} <KeyStatusCell k={k} /> <OriginBadge k={k} />
            </span>
          ) : (
            <Skeleton width="240px" height="1.4em" />
          )
        }
        subtitle={
          k ? (
            <>
              <code className="mono">{k.maskedKey}</code>
              {' · '}
              {t('common.created')} {fmt.dateTime(k.createdAt)}
              {k.expiresAt && ` · ${t('detail.expires')} ${fmt.dateTime(k.expiresAt)}`}
              {k.description && <span className="block">{k.description}</span>}
            </>
          ) : (
            <Skeleton width="320px" />
          )
        }
        actions={
          k &&
          k.status !== 'deleted' && (
            <>
              <Button onClick={() => actions.edit(k)}>{t('common.edit')}</Button>
              <ToggleButton k={k} onToggle={actions.toggle} />
              <Button variant="danger" onClick={() => actions.remove(k)}>
                {t('common.delete')}
              </Button>
            </>
          )
        }
      />
      {k && <KeyNotes k={k} />}
      {k && k.status !== 'deleted' && (
        <Card title={t('meter.title')}>
          <LimitMeters meters={k.limitUsage} />
        </Card>
      )}
      <UsageSection id={id} enabled={Boolean(k)} />
      <div className="grid-2 gap">
        <ModelsCard id={id} enabled={Boolean(k)} />
        <div className="stack">
          {k && <LimitsCard k={k} />}
          {k && k.status !== 'deleted' && <InstructionsCard k={k} />}
        </div>
      </div>
      <RequestsCard id={id} enabled={Boolean(k)} />
      {actions.dialogs}
    </>
  );
}

/** Who else has a say over this key: the operator who made it, holds it, or removed it in CRS. */
function KeyNotes({ k }: { k: Key }) {
  const { t } = useI18n();
  const notes: string[] = [];
  if (k.status === 'deleted') {
    notes.push(
      t(
        k.crsState === 'gone'
          ? 'detail.goneFromCrs'
          : k.crsState === 'deleted'
            ? 'detail.deletedInCrs'
            : 'detail.deletedNote',
      ),
    );
  }
  if (k.origin === 'operator') notes.push(t('operator.originNote'));
  const held = k.operator;
  if (held && k.status !== 'deleted') {
    const what = [
      held.disabled ? t('operator.held.status') : '',
      Object.keys(held.limits).length ? t('operator.held.limits') : '',
      held.models.length ? t('operator.held.models') : '',
    ].filter(Boolean);
    notes.push(t('operator.heldNote', { what: what.join(', ') }));
  }
  return (
    <>
      {notes.map((n) => (
        <div key={n} className="alert alert-info">
          {n}
        </div>
      ))}
    </>
  );
}

/** `enabled` once the key is here: a key that does not exist costs its own request and no other. */
function UsageSection({ id, enabled }: { id: string; enabled: boolean }) {
  const { t } = useI18n();
  const [range, setRange] = useUrlRange();
  const [metric, setMetric] = useState<Metric>('tokens');
  const usage = useUsage(range, id, enabled);
  const data = usage.data;
  return (
    <Card
      title={t('detail.usage')}
      actions={data && <Freshness asOf={data.asOf} stale={data.stale} timezone={data.range.timezone} />}
    >
      <div className="toolbar toolbar-inner">
        <RangePicker value={range} onChange={setRange} />
        <MetricPicker value={metric} onChange={setMetric} />
      </div>
      {usage.error && !data ? (
        <ErrorMessage error={usage.error} onRetry={() => usage.refetch()} />
      ) : data ? (
        <>
          <MiniTotals data={data.totals} />
          <UsageChart series={data.series} metric={metric} label={t('detail.usage')} timezone={data.range.timezone} />
        </>
      ) : (
        <Skeleton height="340px" width="100%" />
      )}
    </Card>
  );
}

function MiniTotals({ data }: { data: TokenSplit }) {
  const { t, fmt } = useI18n();
  return (
    <div className="mini-totals">
      <div>
        <span className="muted small">{t('common.requests')}</span>
        <strong>{fmt.number(data.requests)}</strong>
      </div>
      <div>
        <span className="muted small">{t('common.tokens')}</span>
        <strong title={fmt.number(data.tokens)}>{fmt.compact(data.tokens)}</strong>
      </div>
      <div>
        <span className="muted small">{t('common.cost')}</span>
        <strong>{fmt.money(data.cost)}</strong>
      </div>
      <div className="mini-split">
        <TokenSplitBar totals={data} />
      </div>
    </div>
  );
}
