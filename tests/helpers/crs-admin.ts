/** Calls the emulator's admin API over HTTP, as an independent check of what the portal reports. */
export async function crsAdmin<T = unknown>(baseUrl: string, path: string): Promise<T> {
  const login = await fetch(`${baseUrl}/web/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin' }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
