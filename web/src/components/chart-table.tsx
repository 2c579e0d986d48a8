import { useState } from 'react';
import { useI18n } from '../i18n';

/**
 * A chart's figures as a table, behind a disclosure: the alternative a screen reader (or anyone who wants the
 * numbers) reads instead of the picture. Rows are built only once it is opened: a year is 365 of them.
 */
export function ChartTable({
  label,
  columns,
  rows,
}: {
  label: string;
  columns: string[];
  rows: { date: string; values: string[] }[];
}) {
  const { t, fmt } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <details className="chart-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="small">{t('chart.table')}</summary>
      {open && (
        // Scrolls on its own when wide or long; focusable so the keyboard can scroll it too.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="table-wrap chart-table-scroll" tabIndex={0} aria-label={label}>
          <table className="table">
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">{t('chart.day')}</th>
                {columns.map((c) => (
                  <th key={c} scope="col" className="num">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.date}>
                  <th scope="row" className="nowrap">
                    {fmt.day(r.date, 'long')}
                  </th>
                  {r.values.map((v, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: one cell per column, in column order
                    <td key={i} className="num">
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </details>
  );
}
