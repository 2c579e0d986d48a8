import { useState } from 'react';
import { useI18n } from '../i18n';
import { Button } from './ui';

export const PAGE_SIZES = [10, 20, 50, 100];

/** Page and page size kept in component state; a new page size starts again at page 1. */
export function usePaging(initialSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setSize] = useState(initialSize);
  const setPageSize = (n: number) => {
    setSize(n);
    setPage(1);
  };
  return { page, pageSize, setPage, setPageSize };
}

export function Pagination({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage(p: number): void;
  onPageSize?(n: number): void;
}) {
  const { t, fmt } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pagination" aria-label={t('common.pageOf', { from, to, total })}>
      <span className="muted small">
        {t('common.pageOf', { from: fmt.number(from), to: fmt.number(to), total: fmt.number(total) })}
      </span>
      <div className="pagination-controls">
        {onPageSize && (
          <label className="small muted inline-label">
            {t('common.perPage')}
            <select className="input input-sm" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          {t('common.previous')}
        </Button>
        <span className="small" aria-current="page">
          {page} / {pages}
        </span>
        <Button size="sm" onClick={() => onPage(page + 1)} disabled={page >= pages}>
          {t('common.next')}
        </Button>
      </div>
    </nav>
  );
}
