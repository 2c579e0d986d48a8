import { useI18n } from '../i18n';

export type Column = string | { label: string; className?: string };

/**
 * A table's column headers, and with `actions` the last column, of the row's buttons, named for screen readers
 * only. On a phone a card table hides them: each cell carries its column's name itself (docs/decisions/036).
 */
export function TableHead({ columns, actions }: { columns: Column[]; actions?: boolean }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map((c) => {
          const col = typeof c === 'string' ? { label: c } : c;
          return (
            <th key={col.label} scope="col" className={col.className}>
              {col.label}
            </th>
          );
        })}
        {actions && (
          <th scope="col" className="actions-col">
            <span className="visually-hidden">{t('common.actions')}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
