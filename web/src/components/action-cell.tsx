import { Button } from './ui';

/**
 * A row's one action (revoke, purge) in its own cell: at the end of a row on a wide screen, at the bottom of the
 * row's card on a phone (table-cards, docs/decisions/036). Empty — and hidden on a phone — when `onClick` is absent.
 */
export function ActionCell({
  label,
  onClick,
  busy,
  danger = true,
  ariaLabel,
}: {
  label: string;
  onClick?(): void;
  busy?: boolean;
  danger?: boolean;
  ariaLabel?: string;
}) {
  if (!onClick) return <td className="actions-col cell-empty" />;
  return (
    <td className="actions-col">
      <Button
        size="sm"
        variant="ghost"
        className={danger ? 'text-danger' : undefined}
        aria-label={ariaLabel}
        busy={busy}
        onClick={onClick}
      >
        {label}
      </Button>
    </td>
  );
}
