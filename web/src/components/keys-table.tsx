import type { Key, KeySort, SortOrder } from '../api/contract';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { KeyStatusCell, OriginBadge, ToggleButton } from './key-status';
import { LimitMeters } from './limit-meters';
import { ScrollRegion } from './scroll-region';
import { Button, SkeletonRows } from './ui';

export interface KeysTableProps {
  items: Key[] | undefined;
  loading?: boolean;
  sort: KeySort;
  order: SortOrder;
  onSort(sort: KeySort, order: SortOrder): void;
  onEdit(key: Key): void;
  onToggle(key: Key): void;
  onDelete(key: Key): void;
}

/** Clicking the sorted column flips its order; another column starts with the biggest / newest first. */
export function nextSort(
  current: { sort: KeySort; order: SortOrder },
  column: KeySort,
): { sort: KeySort; order: SortOrder } {
  if (current.sort === column) return { sort: column, order: current.order === 'desc' ? 'asc' : 'desc' };
  return { sort: column, order: 'desc' };
}

export function KeysTable({ items, loading, sort, order, onSort, onEdit, onToggle, onDelete }: KeysTableProps) {
  const { t, fmt } = useI18n();

  const sortable = (column: KeySort, label: string, numeric = false) => {
    const active = sort === column;
    return (
      <th
        scope="col"
        className={numeric ? 'num' : undefined}
        aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button
          type="button"
          className={`sort ${active ? 'sort-on' : ''}`}
          onClick={() => {
            const n = nextSort({ sort, order }, column);
            onSort(n.sort, n.order);
          }}
          title={t('keys.sortBy', { column: label })}
        >
          {label}
          <span className="sort-icon" aria-hidden="true">
            {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <ScrollRegion label={t('keys.title')}>
      {/* A card per key on a phone (table-cards, docs/decisions/036): every figure and every action in sight. */}
      <table className="table table-cards" aria-label={t('keys.tableLabel')} aria-busy={loading || undefined}>
        <thead>
          <tr>
            <th scope="col">{t('common.name')}</th>
            <th scope="col">{t('common.status')}</th>
            <th scope="col">{t('common.key')}</th>
            {sortable('lastUsedAt', t('common.lastUsed'))}
            {sortable('tokens', t('common.tokens'), true)}
            {sortable('cost', t('common.cost'), true)}
            <th scope="col" className="meters-col">
              {t('meter.column')}
            </th>
            {sortable('createdAt', t('common.created'))}
            <th scope="col" className="actions-col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!items && <SkeletonRows cols={9} />}
          {items?.map((k) => (
            <tr key={k.id}>
              <td className="name-cell cell-main">
                <Link to={`/keys/${k.id}`} className="strong-link">
                  {k.name}
                </Link>{' '}
                <OriginBadge k={k} />
                {k.description && <div className="muted small truncate">{k.description}</div>}
              </td>
              <td data-label={t('common.status')}>
                <KeyStatusCell k={k} />
              </td>
              <td data-label={t('common.key')}>
                <code className="mono">{k.maskedKey}</code>
              </td>
              <td
                className="nowrap"
                data-label={t('common.lastUsed')}
                title={k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : undefined}
              >
                {k.lastUsedAt ? fmt.relative(k.lastUsedAt) : <span className="muted">{t('common.never')}</span>}
              </td>
              <td className="num" data-label={t('common.tokens')} title={fmt.number(k.usage.tokens)}>
                {fmt.compact(k.usage.tokens)}
              </td>
              <td className="num" data-label={t('common.cost')}>
                {fmt.money(k.usage.cost)}
              </td>
              <td
                className={k.limitUsage.length ? 'meters-col cell-wide' : 'meters-col'}
                data-label={t('meter.column')}
              >
                <LimitMeters meters={k.limitUsage} compact />
              </td>
              <td className="nowrap" data-label={t('common.created')} title={fmt.dateTime(k.createdAt)}>
                {fmt.date(k.createdAt)}
              </td>
              <td className={k.status === 'deleted' ? 'actions-col cell-empty' : 'actions-col'}>
                {k.status !== 'deleted' && (
                  <div className="row-actions">
                    <Button size="sm" variant="ghost" onClick={() => onEdit(k)}>
                      {t('common.edit')}
                    </Button>
                    <ToggleButton k={k} onToggle={onToggle} size="sm" variant="ghost" />
                    <Button size="sm" variant="ghost" className="text-danger" onClick={() => onDelete(k)}>
                      {t('common.delete')}
                    </Button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
