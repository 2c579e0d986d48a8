import { useEffect, useState } from 'react';
import type { KeySort, SortOrder } from '../api/contract';
import { useKeys } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { useKeyActions } from '../components/key-actions';
import { KeysTable } from '../components/keys-table';
import { PAGE_SIZES, Pagination } from '../components/pagination';
import { Button, Card, EmptyState, PageHeader } from '../components/ui';
import { useI18n } from '../i18n';
import { useDebounced } from '../lib/debounce';
import { setSearch, useLocation } from '../lib/router';

const SORTS: KeySort[] = ['createdAt', 'lastUsedAt', 'tokens', 'cost'];
const STATUSES = ['', 'active', 'disabled', 'expired', 'deleted', 'all'] as const;

/** List state lives in the URL, so a reload or a shared link shows the same page of the same list. */
function useListState() {
  const { search } = useLocation();
  const sort = (SORTS as string[]).includes(search.get('sort') ?? '') ? (search.get('sort') as KeySort) : 'createdAt';
  const order: SortOrder = search.get('order') === 'asc' ? 'asc' : 'desc';
  const pageSize = PAGE_SIZES.includes(Number(search.get('pageSize'))) ? Number(search.get('pageSize')) : 20;
  return {
    page: Math.max(1, Number(search.get('page')) || 1),
    pageSize,
    status: search.get('status') ?? '',
    search: search.get('q') ?? '',
    sort,
    order,
    create: search.get('create') === '1',
  };
}

export function KeysPage() {
  const { t } = useI18n();
  const s = useListState();
  const keys = useKeys({
    page: s.page,
    pageSize: s.pageSize,
    status: s.status || undefined,
    search: s.search || undefined,
    sort: s.sort,
    order: s.order,
  });
  const actions = useKeyActions();

  // /keys?create=1 (the dashboard's "create your first key") opens the dialog once.
  const { create } = actions;
  useEffect(() => {
    if (s.create) {
      create();
      setSearch({ create: undefined });
    }
  }, [s.create, create]);

  const data = keys.data;
  const filtered = Boolean(s.search || s.status);
  const empty = data && data.total === 0;

  return (
    <>
      <PageHeader
        title={t('keys.title')}
        subtitle={t('keys.subtitle')}
        actions={
          <Button variant="primary" onClick={actions.create}>
            + {t('keys.create')}
          </Button>
        }
      />
      <div className="toolbar">
        <SearchBox value={s.search} />
        <label className="inline-label small muted">
          {t('keys.statusFilter')}
          <select
            className="input input-sm"
            value={s.status}
            onChange={(e) => setSearch({ status: e.target.value, page: undefined })}
          >
            {STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(st === '' ? 'status.any' : `status.${st}`)}
              </option>
            ))}
          </select>
        </label>
        <SortSelect sort={s.sort} order={s.order} />
      </div>
      {keys.error && !data ? (
        <ErrorMessage error={keys.error} onRetry={() => keys.refetch()} />
      ) : empty && !filtered ? (
        <Card>
          <EmptyState
            title={t('keys.empty.title')}
            body={t('keys.empty.body')}
            action={
              <Button variant="primary" onClick={actions.create}>
                {t('keys.empty.cta')}
              </Button>
            }
          />
        </Card>
      ) : (
        <Card className="card-flush">
          <KeysTable
            items={data?.items}
            loading={keys.isFetching}
            sort={s.sort}
            order={s.order}
            onSort={(sort, order) => setSearch({ sort, order, page: undefined })}
            onEdit={actions.edit}
            onToggle={actions.toggle}
            onDelete={actions.remove}
          />
          {empty && (
            <div className="empty-inline">
              <p className="muted">{t('keys.noMatch')}</p>
              <Button size="sm" onClick={() => setSearch({ q: undefined, status: undefined, page: undefined })}>
                {t('keys.clearFilters')}
              </Button>
            </div>
          )}
          {data && data.total > 0 && (
            <Pagination
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={(p) => setSearch({ page: p === 1 ? undefined : p })}
              onPageSize={(n) => setSearch({ pageSize: n === 20 ? undefined : n, page: undefined })}
            />
          )}
        </Card>
      )}
      {actions.dialogs}
    </>
  );
}

/** On a phone the table's headers are gone (a card per key): the sort is chosen here instead. */
function SortSelect({ sort, order }: { sort: KeySort; order: SortOrder }) {
  const { t } = useI18n();
  const column: Record<KeySort, string> = {
    createdAt: t('common.created'),
    lastUsedAt: t('common.lastUsed'),
    tokens: t('common.tokens'),
    cost: t('common.cost'),
  };
  return (
    <label className="inline-label small muted phone-only">
      {t('keys.sort')}
      <select
        className="input input-sm"
        value={`${sort}:${order}`}
        onChange={(e) => {
          const [next, dir] = e.target.value.split(':');
          setSearch({ sort: next, order: dir, page: undefined });
        }}
      >
        {SORTS.flatMap((c) =>
          (['desc', 'asc'] as const).map((o) => (
            <option key={`${c}:${o}`} value={`${c}:${o}`}>
              {t(o === 'desc' ? 'keys.sortDesc' : 'keys.sortAsc', { column: column[c] })}
            </option>
          )),
        )}
      </select>
    </label>
  );
}

/**
 * The search field. What is typed goes to `?q=` once typing pauses; when the URL's `q` changes some other way
 * (Back, the Keys link, "Clear filters"), the field follows it. The field is adjusted rather than remounted,
 * so it keeps the focus while the person types.
 */
function SearchBox({ value }: { value: string }) {
  const { t } = useI18n();
  const [query, setQuery] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== query.trim()) setQuery(value);
  }
  useDebounced(query.trim(), (q) => {
    if (q !== value) setSearch({ q, page: undefined });
  });
  return (
    <div className="search">
      <label htmlFor="key-search" className="visually-hidden">
        {t('keys.searchLabel')}
      </label>
      <input
        id="key-search"
        className="input"
        type="search"
        placeholder={t('keys.searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
    </div>
  );
}
