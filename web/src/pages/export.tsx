import { type FormEvent, useState } from 'react';
import { request } from '../api/client';
import { useAllKeys } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { RangePicker } from '../components/range-picker';
import { useToast } from '../components/toast';
import { Card, PageHeader, Segmented, SelectField } from '../components/ui';
import { useI18n } from '../i18n';
import { rangeQuery, useUrlRange } from '../lib/range';

function filenameOf(disposition: string | null, fallback: string): string {
  const m = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return m ? m[1] : fallback;
}

/** Saves a response as a file without leaving the page (an error stays on the page, in words). */
async function download(query: Record<string, string | undefined>): Promise<string> {
  const res = await request('/api/stats/export', { query });
  const blob = await res.blob();
  const name = filenameOf(res.headers.get('content-disposition'), `usage.${query.format}`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

export function ExportPage() {
  const { t } = useI18n();
  const toast = useToast();
  const keys = useAllKeys(true);
  const [range, setRange] = useUrlRange();
  const [keyId, setKeyId] = useState('');
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const name = await download({ format, ...rangeQuery(range), keyId: keyId || undefined });
      toast(t('export.done', { file: name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('export.title')} subtitle={t('export.subtitle')} />
      <Card>
        <form className="form export-form" onSubmit={submit}>
          <div className="field">
            <span className="label" id="export-range">
              {t('range.label')}
            </span>
            <RangePicker value={range} onChange={setRange} />
          </div>
          <SelectField
            label={t('export.key')}
            value={keyId}
            onChange={(e) => setKeyId(e.target.value)}
            options={[
              { value: '', label: t('export.allKeys') },
              ...(keys.data?.items ?? []).map((k) => ({
                value: k.id,
                label: k.status === 'deleted' ? `${k.name} (${t('status.deleted')})` : k.name,
              })),
            ]}
          />
          <div className="field">
            <span className="label">{t('export.format')}</span>
            <Segmented
              label={t('export.format')}
              value={format}
              onChange={setFormat}
              options={[
                { value: 'csv', label: t('export.csv') },
                { value: 'json', label: t('export.json') },
              ]}
            />
          </div>
          <p className="muted small">{t('export.columns')}</p>
          {error ? <ErrorMessage error={error} compact /> : null}
          <div>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('export.downloading') : t('export.download')}
            </button>
          </div>
        </form>
      </Card>
    </>
  );
}
