import { Fragment } from 'react';
import type { StatementResponse } from '../api/contract';
import { useStatement } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { ScrollRegion } from '../components/scroll-region';
import { Button, Card, PageHeader, SkeletonRows } from '../components/ui';
import { useI18n } from '../i18n';
import { setSearch, useLocation } from '../lib/router';

type Row = StatementResponse['totals'];

/** A user's monthly statement: totals, each key and its models, printable (docs/product.md §2.4). */
export function StatementPage() {
  const { t, fmt } = useI18n();
  const { search } = useLocation();
  const month = search.get('month') ?? '';
  const st = useStatement(month);
  const data = st.data;
  const figures = (r: Row) => (
    <>
      <td className="num" data-label={t('common.requests')}>
        {fmt.number(r.requests)}
      </td>
      <td className="num hide-sm" data-label={t('dash.input')}>
        {fmt.number(r.inputTokens)}
      </td>
      <td className="num hide-sm" data-label={t('dash.output')}>
        {fmt.number(r.outputTokens)}
      </td>
      <td className="num hide-sm" data-label={t('dash.cacheCreate')}>
        {fmt.number(r.cacheCreateTokens)}
      </td>
      <td className="num hide-sm" data-label={t('dash.cacheRead')}>
        {fmt.number(r.cacheReadTokens)}
      </td>
      <td className="num" data-label={t('common.tokens')} title={fmt.number(r.tokens)}>
        {fmt.compact(r.tokens)}
      </td>
      <td className="num" data-label={t('common.cost')}>
        {fmt.money(r.cost)}
      </td>
    </>
  );
  return (
    <>
      <PageHeader
        title={t('statement.title')}
        subtitle={t('statement.subtitle')}
        actions={
          <>
            {data && <Freshness asOf={data.asOf} stale={data.stale} />}
            <Button onClick={() => window.print()} className="no-print">
              {t('statement.print')}
            </Button>
          </>
        }
      />
      <div className="toolbar no-print">
        <label className="inline-label small muted" htmlFor="statement-month">
          {t('statement.month')}
        </label>
        <input
          id="statement-month"
          className="input input-sm"
          type="month"
          value={month || data?.month || ''}
          max={data && !month ? data.month : undefined}
          onChange={(e) => setSearch({ month: e.target.value })}
        />
      </div>
      {st.error && !data ? (
        <ErrorMessage error={st.error} onRetry={() => st.refetch()} />
      ) : (
        <Card
          className="card-flush statement"
          title={data ? t('statement.total', { month: data.month }) : undefined}
          actions={
            data && (
              <span className="muted small">
                {t('statement.days', {
                  from: fmt.day(data.range.from, 'long'),
                  to: fmt.day(data.range.to, 'long'),
                  tz: data.range.timezone,
                })}
              </span>
            )
          }
        >
          <ScrollRegion label={t('statement.title')}>
            <table className="table table-cards">
              <thead>
                <tr>
                  <th scope="col">{t('statement.key')}</th>
                  <th scope="col" className="num">
                    {t('common.requests')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('dash.input')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('dash.output')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('dash.cacheCreate')}
                  </th>
                  <th scope="col" className="num hide-sm">
                    {t('dash.cacheRead')}
                  </th>
                  <th scope="col" className="num">
                    {t('common.tokens')}
                  </th>
                  <th scope="col" className="num">
                    {t('common.cost')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {!data && <SkeletonRows cols={8} />}
                {data?.keys.map((k) => (
                  <Fragment key={k.keyId}>
                    <tr className="statement-key">
                      <th scope="row" className="cell-main">
                        {k.name}
                        {k.status === 'deleted' && <span className="muted small"> ({t('status.deleted')})</span>}
                      </th>
                      {figures(k)}
                    </tr>
                    {k.models.map((m) => (
                      <tr key={`${k.keyId}-${m.model}`} className="statement-model">
                        <td className="mono small cell-main">
                          {m.model ?? <span className="muted">{t('spend.unknownModel')}</span>}
                        </td>
                        {figures(m)}
                      </tr>
                    ))}
                  </Fragment>
                ))}
                {data && data.keys.length === 0 && (
                  <tr>
                    <td colSpan={8} className="muted center">
                      {t('statement.empty')}
                    </td>
                  </tr>
                )}
              </tbody>
              {data && data.keys.length > 0 && (
                <tfoot>
                  <tr className="statement-total">
                    <th scope="row" className="cell-main">
                      {t('chart.total')}
                    </th>
                    {figures(data.totals)}
                  </tr>
                </tfoot>
              )}
            </table>
          </ScrollRegion>
        </Card>
      )}
    </>
  );
}
