import { useAdminStatements } from '../../api/queries';
import { ErrorMessage } from '../../components/error-message';
import { Card } from '../../components/ui';
import { UsageTable } from '../../components/usage-table';
import { useI18n } from '../../i18n';
import { setSearch, useLocation } from '../../lib/router';

/** Every user's month (the operator's bill split): JSON here, CSV to download (the same figures). */
export function StatementsTab() {
  const { t, fmt } = useI18n();
  const { search } = useLocation();
  const month = search.get('month') ?? '';
  const st = useAdminStatements(month);
  const data = st.data;
  const shown = month || data?.month || '';
  return (
    <>
      <p className="muted">{t('admin.statements.body')}</p>
      <div className="toolbar">
        <label className="inline-label small muted" htmlFor="admin-statement-month">
          {t('statement.month')}
        </label>
        <input
          id="admin-statement-month"
          className="input input-sm"
          type="month"
          value={shown}
          onChange={(e) => setSearch({ month: e.target.value })}
        />
        {shown && (
          <a className="btn btn-secondary btn-sm" href={`/api/admin/statements?month=${shown}&format=csv`} download>
            {t('admin.statements.csv')}
          </a>
        )}
      </div>
      {st.error && !data ? (
        <ErrorMessage error={st.error} onRetry={() => st.refetch()} />
      ) : (
        <Card
          className="card-flush"
          title={data && t('statement.total', { month: data.month })}
          actions={data && <strong>{fmt.money(data.totals.cost)}</strong>}
        >
          <UsageTable
            label={t('admin.tab.statements')}
            rows={data?.users}
            rowKey={(u) => u.userId}
            cards
            lead={[
              {
                header: t('admin.statements.user'),
                cell: (u) => (
                  <>
                    {u.displayName} <span className="muted small">{u.email}</span>
                  </>
                ),
              },
              { header: t('admin.statements.keys'), className: 'num hide-sm', cell: (u) => fmt.number(u.keys) },
            ]}
          />
        </Card>
      )}
    </>
  );
}
