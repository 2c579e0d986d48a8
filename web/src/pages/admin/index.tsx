import type { User } from '../../api/contract';
import { PageHeader } from '../../components/ui';
import { type MessageKey, useI18n } from '../../i18n';
import { NavLink } from '../../lib/router';
import { NotFoundPage } from '../not-found';
import { CacheTab } from './cache';
import { InvitesTab } from './invites';
import { KeysTab } from './keys';
import { NotificationsTab } from './notifications';
import { OverviewTab } from './overview';
import { StatementsTab } from './statements';
import { UsersTab } from './users';

const TABS: { path: string; label: MessageKey }[] = [
  { path: '/admin', label: 'admin.tab.overview' },
  { path: '/admin/users', label: 'admin.tab.users' },
  { path: '/admin/keys', label: 'admin.tab.keys' },
  { path: '/admin/statements', label: 'admin.tab.statements' },
  { path: '/admin/invites', label: 'admin.tab.invites' },
  { path: '/admin/cache', label: 'admin.tab.cache' },
  { path: '/admin/notifications', label: 'admin.tab.notifications' },
];

export function AdminPage({ user, pathname }: { user: User; pathname: string }) {
  const { t } = useI18n();
  if (user.role !== 'admin') {
    return (
      <>
        <PageHeader title={t('admin.title')} />
        <div className="alert alert-error">{t('admin.forbidden')}</div>
      </>
    );
  }
  const tab = pathname.replace(/\/$/, '');
  const body =
    tab === '/admin' ? (
      <OverviewTab />
    ) : tab === '/admin/users' ? (
      <UsersTab me={user} />
    ) : tab === '/admin/keys' ? (
      <KeysTab />
    ) : tab === '/admin/statements' ? (
      <StatementsTab />
    ) : tab === '/admin/invites' ? (
      <InvitesTab />
    ) : tab === '/admin/cache' ? (
      <CacheTab />
    ) : tab === '/admin/notifications' ? (
      <NotificationsTab />
    ) : (
      <NotFoundPage />
    );
  return (
    <>
      <PageHeader title={t('admin.title')} />
      <nav className="tabs" aria-label={t('admin.tabs')}>
        {TABS.map((x) => (
          <NavLink key={x.path} to={x.path} exact className="tab">
            {t(x.label)}
          </NavLink>
        ))}
      </nav>
      {body}
    </>
  );
}
