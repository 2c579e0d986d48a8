import type { Key, Limits } from '../api/contract';
import { useInstructions, useKeyModels } from '../api/queries';
import { CopyButton } from '../components/copy-button';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { ScrollRegion } from '../components/scroll-region';
import { Card, Skeleton } from '../components/ui';
import { UsageTable } from '../components/usage-table';
import { useI18n } from '../i18n';
import { ALL_LIMITS, limitLabel, MONEY_LIMITS, WINDOW_FIELDS } from '../lib/key-limits';
import { useUrlRange } from '../lib/range';
import { claudeCodeSnippet } from '../lib/snippet';

/** The cards under a key's usage chart: models, limits, Claude Code instructions (the request log: key-requests.tsx). */

export function ModelsCard({ id, enabled = true }: { id: string; enabled?: boolean }) {
  const { t, fmt } = useI18n();
  const [range] = useUrlRange();
  const models = useKeyModels(id, range, enabled);
  const data = models.data;
  return (
    <Card title={t('detail.models')} className="card-flush">
      {/* CRS's figures of this moment, the totals above the portal's of the last sync: which range, which moment. */}
      {data && (
        <p className="muted small pad-x">
          {t('detail.modelsScope', { range: fmt.dayRange(data.range.from, data.range.to) })}
        </p>
      )}
      {models.error && !data ? (
        <div className="pad">
          <ErrorMessage error={models.error} onRetry={() => models.refetch()} compact />
        </div>
      ) : (
        <UsageTable
          label={t('detail.models')}
          rows={data?.items}
          rowKey={(m) => m.model}
          lead={[{ header: t('common.model'), cellClassName: 'mono small', cell: (m) => m.model }]}
          empty={t('detail.noModels')}
        />
      )}
      {data?.stale && (
        <div className="pad-x">
          <Freshness asOf={data.asOf} stale={data.stale} />
        </div>
      )}
    </Card>
  );
}

/**
 * Every limit; a per-window one reads "N per M min", and what the operator holds says so. The labels carry the
 * units ("Window (minutes)"), so the values are bare numbers or money.
 */
export function LimitsCard({ k }: { k: Key }) {
  const { t, fmt } = useI18n();
  const held = k.operator;
  const window = k.limits.rateLimitWindow;
  const value = (name: keyof Limits) => {
    const v = k.limits[name];
    if (!v) return <span className="muted">{t('common.unlimited')}</span>;
    const n = MONEY_LIMITS.has(name) ? fmt.money(v) : fmt.number(v);
    const perWindow = WINDOW_FIELDS.includes(name as (typeof WINDOW_FIELDS)[number]);
    return perWindow && window ? t('detail.perWindow', { n, window: fmt.number(window) }) : n;
  };
  const byOperator = <span className="badge badge-gray">{t('operator.limit')}</span>;
  return (
    <Card title={t('detail.limits')}>
      <dl className="kv">
        {ALL_LIMITS.map((name) => (
          <div key={name}>
            <dt>{t(limitLabel(name))}</dt>
            <dd>
              {value(name)} {held?.limits[name] !== undefined && byOperator}
            </dd>
          </div>
        ))}
        <div>
          <dt>{t('detail.blockedModels')}</dt>
          <dd>
            {k.models.length ? (
              k.models.map((m) => (
                <code key={m} className="chip mono" title={held?.models.includes(m) ? t('operator.limit') : undefined}>
                  {m}
                  {held?.models.includes(m) && ' 🔒'}
                </code>
              ))
            ) : (
              <span className="muted">{t('detail.noBlocked')}</span>
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}

export function InstructionsCard({ k }: { k: Key }) {
  const { t } = useI18n();
  const ins = useInstructions(k.id);
  const snippet = ins.data && claudeCodeSnippet(t, ins.data, k);
  return (
    <Card title={t('detail.instructions')} actions={snippet && <CopyButton text={snippet} />}>
      <p className="muted small">{t('detail.instructionsBody')}</p>
      {ins.error ? (
        <ErrorMessage error={ins.error} compact />
      ) : snippet ? (
        // A long command scrolls sideways: in a focusable region, so the keyboard can scroll it too.
        <ScrollRegion label={t('detail.instructions')} className="snippet-scroll">
          <pre className="snippet">{snippet}</pre>
        </ScrollRegion>
      ) : (
        <Skeleton height="72px" width="100%" />
      )}
    </Card>
  );
}
