import { EmptyState } from '../components/ui';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <EmptyState
      title={t('notFound.title')}
      body={t('notFound.body')}
      action={
        <Link to="/" className="btn btn-primary">
          {t('notFound.home')}
        </Link>
      }
    />
  );
}
