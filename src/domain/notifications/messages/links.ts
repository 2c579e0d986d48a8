/**
 * The portal's pages a message links to, built from PUBLIC_URL (the origin users know). The web app's routes
 * are `/keys/:id`, `/settings` and `/admin`; the unsubscribe link is made by the caller (its token and route
 * belong to the notification API) and arrives ready.
 */
export interface Links {
  home: string;
  key(id: string): string;
  settings: string;
  admin: string;
}

export function portalLinks(publicUrl: URL): Links {
  const at = (path: string) => new URL(path, publicUrl).toString();
  return {
    home: at('/'),
    key: (id) => at(`/keys/${encodeURIComponent(id)}`),
    settings: at('/settings#notifications'),
    admin: at('/admin'),
  };
}
