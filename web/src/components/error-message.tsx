import { ApiError } from '../api/client';
import { type MessageKey, useI18n } from '../i18n';
import { fieldLabel } from '../i18n/issues';
import { Button } from './ui';

const KNOWN = new Set([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'operator_locked',
  'payload_too_large',
  'rate_limited',
  'internal',
  'upstream_error',
  'upstream_unavailable',
  'network',
]);

/**
 * The person's words for an error: our translation of its code; for a 400, which fields and what is wrong with each
 * (i18n/issues.ts); otherwise the API's own message when it says more (English: it comes from the server).
 */
export function useErrorText() {
  const { t } = useI18n();
  return (error: unknown): { headline: string; detail?: string; requestId?: string } => {
    if (error instanceof ApiError) {
      if (error.code === 'bad_request' && error.details.length) {
        const paths = [...new Set(error.details.flatMap((d) => d.path.split(', ')))];
        const fields = paths.map((p) => fieldLabel(t, p)).join(t('list.separator'));
        const detail = error.details.map((d) => `${fieldLabel(t, d.path)}: ${error.field(d.path)}`).join('\n');
        return { headline: t('error.fields', { fields }), detail, requestId: error.requestId };
      }
      const headline = KNOWN.has(error.code) ? t(`error.${error.code}` as MessageKey) : t('error.title');
      const detail = error.code === 'internal' || error.code === 'network' ? undefined : error.message;
      return { headline, detail: detail && detail !== headline ? detail : undefined, requestId: error.requestId };
    }
    return { headline: t('error.internal') };
  };
}

export function ErrorMessage({ error, onRetry, compact }: { error: unknown; onRetry?(): void; compact?: boolean }) {
  const { t } = useI18n();
  const text = useErrorText()(error);
  return (
    <div className={`alert alert-error ${compact ? 'alert-compact' : ''}`} role="alert">
      <div>
        <strong>{text.headline}</strong>
        {text.detail && <p className="pre-line">{text.detail}</p>}
        {text.requestId && !compact && <p className="muted small">{t('error.requestId', { id: text.requestId })}</p>}
      </div>
      {onRetry && (
        <Button size="sm" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </div>
  );
}
