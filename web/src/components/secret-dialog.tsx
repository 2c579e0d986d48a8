import type { CreatedKey, Instructions, Key } from '../api/contract';
import { useI18n } from '../i18n';
import { CopyButton } from './copy-button';
import { Dialog } from './dialog';
import { Button } from './ui';

/** The Claude Code snippet with the real secret in place of the masked placeholder (only ever built here). */
export function snippetWithSecret(instructions: Instructions, key: Key, secret: string): string {
  return Object.entries(instructions.env)
    .map(([name, value]) => {
      const v = name === 'ANTHROPIC_AUTH_TOKEN' || value.includes(key.maskedKey) ? secret : value;
      return `export ${name}="${v}"`;
    })
    .join('\n');
}

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
  const snippet = instructions ? snippetWithSecret(instructions, key, secret) : undefined;
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
