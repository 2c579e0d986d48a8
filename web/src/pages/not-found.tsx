import { EmptyState, PageHeader } from '../components/ui';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <EmptyState
        title={t('notFound.body')}
        action={
          <Link to="/" className="btn btn-primary">
            {t('notFound.home')}
          </Link>
        }
      />
    </>
  );
}
