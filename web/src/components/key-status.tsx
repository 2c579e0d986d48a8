import type { Key } from '../api/contract';
import { useI18n } from '../i18n';
import { Button, StatusBadge } from './ui';

/** A key's status, and who decided it when that was the operator (docs/decisions/011). */
export function KeyStatusCell({ k }: { k: Key }) {
  const { t } = useI18n();
  return (
    <>
      <StatusBadge status={k.status} />
      {k.operator?.disabled && k.status === 'disabled' && (
        <div className="muted small" title={t('operator.disabledTitle')}>
          {t('operator.disabled')}
        </div>
      )}
    </>
  );
}

/** "Created by the operator": an adopted key whose secret the portal never saw. */
export function OriginBadge({ k }: { k: Key }) {
  const { t } = useI18n();
  if (k.origin !== 'operator') return null;
  return (
    <span className="badge badge-gray" title={t('operator.originNote')}>
      {t('operator.origin')}
    </span>
  );
}

/** Enable / disable; an operator's disable cannot be undone here, so the button says why it is off. */
export function ToggleButton({
  k,
  onToggle,
  size,
  variant,
}: {
  k: Key;
  onToggle(k: Key): void;
  size?: 'sm';
  variant?: 'ghost';
}) {
  const { t } = useI18n();
  if (k.status !== 'active' && k.status !== 'disabled') return null;
  const held = k.status === 'disabled' && Boolean(k.operator?.disabled);
  return (
    <Button
      size={size}
      variant={variant}
      disabled={held}
      title={held ? t('operator.disabledTitle') : undefined}
      onClick={() => onToggle(k)}
    >
      {k.status === 'active' ? t('common.disable') : t('common.enable')}
    </Button>
  );
}
