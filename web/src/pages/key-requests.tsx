import { useId, useState } from 'react';
import { useKeyRequests } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { Pagination, usePaging } from '../components/pagination';
import { ScrollRegion } from '../components/scroll-region';
import { TableHead } from '../components/table-head';
import { Button, Card, SkeletonRows } from '../components/ui';
import { useI18n } from '../i18n';

/** `<input type="datetime-local">` (the browser's time) as an ISO instant, or undefined when empty. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * A key's request log: every request CRS keeps (its last 200), paged and filtered by model and time, with the token
 * split and cost of each. No duration or status column: CRS does not give them (docs/crs.md, quirk 20).
 */
export function RequestsCard({ id, enabled = true }: { id: string; enabled?: boolean }) {
  const { t, fmt } = useI18n();
  const ids = useId();
  const paging = usePaging(20);
  const [model, setModel] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const req = useKeyRequests(
    id,
    {
      page: paging.page,
      pageSize: paging.pageSize,
      model: model || undefined,
      from: toIso(from),
      to: toIso(to),
    },
    enabled,
  );
  const data = req.data;
  const filter = (set: (v: string) => void) => (v: string) => {
    set(v);
    paging.setPage(1);
  };
  return (
    <Card
      title={t('requests.title')}
      className="card-flush"
      actions={data && <Freshness asOf={data.asOf} stale={data.stale} />}
    >
      <div className="toolbar toolbar-inner pad-x request-filters">
        <label className="inline-label small muted" htmlFor={`${ids}-model`}>
          {t('requests.filterModel')}
        </label>
        <select
          id={`${ids}-model`}
          className="input input-sm"
          value={model}
          onChange={(e) => filter(setModel)(e.target.value)}
        >
          <option value="">{t('requests.allModels')}</option>
          {data?.models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <label className="inline-label small muted" htmlFor={`${ids}-from`}>
          {t('requests.from')}
        </label>
        <input
          id={`${ids}-from`}
          className="input input-sm"
          type="datetime-local"
          value={from}
          onChange={(e) => filter(setFrom)(e.target.value)}
        />
        <label className="inline-label small muted" htmlFor={`${ids}-to`}>
          {t('requests.to')}
        </label>
        <input
          id={`${ids}-to`}
          className="input input-sm"
          type="datetime-local"
          value={to}
          onChange={(e) => filter(setTo)(e.target.value)}
        />
        {(model || from || to) && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setModel('');
              setFrom('');
              setTo('');
              paging.setPage(1);
            }}
          >
            {t('requests.clear')}
          </Button>
        )}
      </div>
      <p className="muted small pad-x">{t('requests.kept')}</p>
      {req.error && !data ? (
        <div className="pad">
          <ErrorMessage error={req.error} onRetry={() => req.refetch()} compact />
        </div>
      ) : (
        <ScrollRegion label={t('requests.title')}>
          <table className="table table-cards">
            <TableHead
              columns={[
                t('detail.time'),
                t('common.model'),
                ...[t('detail.input'), t('detail.output'), t('requests.cacheCreate'), t('requests.cacheRead')].map(
                  (label) => ({ label, className: 'num' }),
                ),
                { label: t('common.cost'), className: 'num' },
              ]}
            />
            <tbody>
              {!data && <SkeletonRows rows={4} cols={7} />}
              {data?.items.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: requests have no id; the page is replaced whole
                <tr key={`${r.timestamp}-${i}`}>
                  <td className="nowrap cell-main strong" title={fmt.relative(r.timestamp)}>
                    {fmt.dateTime(r.timestamp)}
                  </td>
                  <td className="mono small cell-wide" data-label={t('common.model')}>
                    {r.model}
                  </td>
                  <td className="num" data-label={t('detail.input')}>
                    {fmt.number(r.inputTokens)}
                  </td>
                  <td className="num" data-label={t('detail.output')}>
                    {fmt.number(r.outputTokens)}
                  </td>
                  <td className="num" data-label={t('requests.cacheCreate')}>
                    {fmt.number(r.cacheCreateTokens)}
                  </td>
                  <td className="num" data-label={t('requests.cacheRead')}>
                    {fmt.number(r.cacheReadTokens)}
                  </td>
                  <td className="num" data-label={t('common.cost')}>
                    {fmt.money(r.cost)}
                  </td>
                </tr>
              ))}
              {data && data.items.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted center">
                    {model || from || to ? t('requests.none') : t('detail.noRequests')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {data && data.total > 0 && (
        <Pagination
          page={paging.page}
          pageSize={paging.pageSize}
          total={data.total}
          onPage={paging.setPage}
          onPageSize={paging.setPageSize}
        />
      )}
    </Card>
  );
}
