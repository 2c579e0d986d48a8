import type { TokenSplit } from '../api/contract';
import { useI18n } from '../i18n';

const SPLIT = [
  { field: 'inputTokens', label: 'dash.input', color: 'var(--chart-1)' },
  { field: 'outputTokens', label: 'dash.output', color: 'var(--chart-2)' },
  { field: 'cacheCreateTokens', label: 'dash.cacheCreate', color: 'var(--chart-4)' },
  { field: 'cacheReadTokens', label: 'dash.cacheRead', color: 'var(--chart-3)' },
] as const;

/** Tokens by kind (input, output, cache writes, cache reads): a stacked bar with a legend. */
export function TokenSplitBar({ totals }: { totals: TokenSplit }) {
  const { t, fmt } = useI18n();
  const sum = SPLIT.reduce((s, p) => s + totals[p.field], 0) || 1;
  return (
    <div className="split">
      <div className="split-bar" aria-hidden="true">
        {SPLIT.map((p) => (
          <span key={p.field} style={{ width: `${(totals[p.field] / sum) * 100}%`, background: p.color }} />
        ))}
      </div>
      <dl className="split-legend">
        {SPLIT.map((p) => (
          <div key={p.field}>
            <dt>
              <span className="dot" style={{ background: p.color }} aria-hidden="true" />
              {t(p.label)}
            </dt>
            <dd title={fmt.number(totals[p.field])}>{fmt.compact(totals[p.field])}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
