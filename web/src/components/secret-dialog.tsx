import type { CreatedKey, Instructions } from '../api/contract';
import { useI18n } from '../i18n';
import { claudeCodeSnippet } from '../lib/snippet';
import { CopyButton } from './copy-button';
import { Dialog } from './dialog';
import { Button } from './ui';

/**
 * Shows a new key's secret exactly once. It cannot be dismissed by accident (no Escape, no click outside):
 * the person confirms they copied it, and the secret then leaves memory with this component's props.
 */
export function SecretDialog({
  created,
  instructions,
  onClose,
}: {
  created: CreatedKey | null;
  instructions?: Instructions;
  onClose(): void;
}) {
  const { t } = useI18n();
  if (!created) return null;
  const { key, secret } = created;
  const snippet = instructions ? claudeCodeSnippet(t, instructions, key, secret) : undefined;
  return (
    <Dialog
      open
      dismissible={false}
      title={t('secret.title', { name: key.name })}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('secret.done')}
        </Button>
      }
    >
      <div className="alert alert-warning" role="note">
        <strong>{t('secret.warning')}</strong>
      </div>
      <label className="label" htmlFor="new-secret">
        {t('secret.label')}
      </label>
      <div className="secret-row">
        <input
          id="new-secret"
          className="input mono secret"
          readOnly
          value={secret}
          data-autofocus
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={secret} label={t('secret.copy')} variant="primary" />
      </div>
      {snippet && (
        <div className="snippet-block">
          <div className="snippet-head">
            <span className="label">{t('secret.useWith')}</span>
            <CopyButton text={snippet} />
          </div>
          <pre className="snippet snippet-wrap">{snippet}</pre>
        </div>
      )}
    </Dialog>
  );
}
