import type { ReactNode } from 'react';
import type { TokenSplit } from '../api/contract';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';
import { ScrollRegion } from './scroll-region';
import { SkeletonRows } from './ui';

/** The three figures every usage table shows. */
export type Figures = Pick<TokenSplit, 'requests' | 'tokens' | 'cost'>;

/** A column beside the figures. `className` goes on its header and its cells, `cellClassName` on the cells only. */
export interface UsageColumn<R> {
  header: ReactNode;
  className?: string;
  cellClassName?: string;
  cell(row: R): ReactNode;
  /** The cell's tooltip. */
  title?(row: R): string;
}

/** A row whose figures cannot be shown (still loading, failed): one cell across the three figure columns. */
export interface Instead {
  instead: ReactNode;
  className?: string;
}

interface BaseProps<R> {
  /** undefined while loading: placeholder rows. */
  rows: readonly R[] | undefined;
  rowKey(row: R): string;
  /** What the table shows, for the scrollable region that holds it (read by screen readers). */
  label: string;
  /** Columns before the figures (the key or model, a rank, an owner…). */
  lead: UsageColumn<R>[];
  /** Columns after the figures (a share bar, last use…). */
  trail?: UsageColumn<R>[];
  /** The requests column is hidden on small screens. */
  requestsHideSm?: boolean;
  /** Placeholder rows while loading. */
  loadingRows?: number;
  /** Said in one row when `rows` is empty. */
  empty?: ReactNode;
  /**
   * A card per row on a phone (table-cards, docs/decisions/036): the first column on top, every other cell under
   * its header, the columns hidden on small screens included. For tables with more than a phone's few columns.
   */
  cards?: boolean;
}

/** The row's figures: the row itself when it has them, otherwise `figures` says where they are. */
type FiguresProp<R> = [R] extends [Figures]
  ? { figures?(row: R): Figures | Instead }
  : { figures(row: R): Figures | Instead };

export type UsageTableProps<R> = BaseProps<R> & FiguresProp<R>;

const cls = (...names: (string | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/**
 * The key / requests / tokens / cost table of the dashboard, compare, a key's models and the leaderboard: requests
 * as a number, tokens compact (exact on hover), cost as money; what differs between them comes in as columns.
 */
export function UsageTable<R extends object>(props: UsageTableProps<R>) {
  const { t, fmt } = useI18n();
  const { rows, rowKey, label, lead, trail = [], requestsHideSm, empty, cards } = props;
  // FiguresProp requires `figures` unless R carries the figures itself.
  const figuresOf = (props.figures ?? ((row: R) => row)) as (row: R) => Figures | Instead;
  const cols = lead.length + 3 + trail.length;
  const requestsClass = cls('num', requestsHideSm ? 'hide-sm' : undefined);
  // A card names each cell by its column; the first column is the card's title.
  const labelOf = (header: ReactNode) => (cards && typeof header === 'string' ? header : undefined);
  const cells = (row: R, columns: UsageColumn<R>[], first = false) =>
    columns.map((c, i) => (
      <td
        // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
        key={i}
        className={cls(c.className, c.cellClassName, cards && first && i === 0 ? 'cell-main' : undefined)}
        data-label={cards && first && i === 0 ? undefined : labelOf(c.header)}
        title={c.title?.(row)}
      >
        {c.cell(row)}
      </td>
    ));
  const figureCells = (f: Figures | Instead) =>
    'instead' in f ? (
      <td colSpan={3} className={f.className}>
        {f.instead}
      </td>
    ) : (
      <>
        <td className={requestsClass} data-label={labelOf(t('common.requests'))}>
          {fmt.number(f.requests)}
        </td>
        <td className="num" data-label={labelOf(t('common.tokens'))} title={fmt.number(f.tokens)}>
          {fmt.compact(f.tokens)}
        </td>
        <td className="num" data-label={labelOf(t('common.cost'))}>
          {fmt.money(f.cost)}
        </td>
      </>
    );
  const figureColumns = [
    { header: t('common.requests'), className: requestsClass },
    { header: t('common.tokens'), className: 'num' },
    { header: t('common.cost'), className: 'num' },
  ];
  const headers = (columns: Pick<UsageColumn<R>, 'header' | 'className'>[]) =>
    columns.map((c, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
      <th key={i} scope="col" className={c.className}>
        {c.header}
      </th>
    ));

  return (
    <ScrollRegion label={label}>
      <table className={cards ? 'table table-cards' : 'table'}>
        <thead>
          <tr>
            {headers(lead)}
            {headers(figureColumns)}
            {headers(trail)}
          </tr>
        </thead>
        <tbody>
          {!rows && <SkeletonRows rows={props.loadingRows ?? 3} cols={cols} />}
          {rows?.map((row) => (
            <tr key={rowKey(row)}>
              {cells(row, lead, true)}
              {figureCells(figuresOf(row))}
              {cells(row, trail)}
            </tr>
          ))}
          {rows?.length === 0 && empty && (
            <tr>
              <td colSpan={cols} className="muted center">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** A key's name as the link to its page, as the usage tables show it. */
export function KeyLink({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Link to={`/keys/${id}`} className="strong-link">
      {children}
    </Link>
  );
}

/** A bar for a share of the whole (0–1); `wide` where it is the only figure in its cell. */
export function ShareBar({ part, wide }: { part: number; wide?: boolean }) {
  return (
    <span className={wide ? 'share-bar wide' : 'share-bar'} aria-hidden="true">
      <span style={{ width: `${part * 100}%` }} />
    </span>
  );
}
