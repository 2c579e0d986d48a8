import { fail, objectBody, ok, type Route } from '../context.js';
import { tokenOf } from '../sessions.js';

/** /web/auth/* (docs/crs.md §3). `expiresIn` echoes CRS's default ADMIN_SESSION_TIMEOUT. */
export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/web/auth/login',
    auth: false,
    handler: (env, req) => {
      const { username, password } = objectBody(req);
      if (!username || !password) {
        return fail(400, { error: 'Missing credentials', message: 'Username and password are required' });
      }
      if (username !== env.adminUsername || password !== env.adminPassword) {
        return fail(401, { error: 'Invalid credentials', message: 'Invalid username or password' });
      }
      const token = env.sessions.create(String(username));
      return ok({ success: true, token, expiresIn: 86_400_000, username: env.adminUsername });
    },
  },
  {
    method: 'POST',
    pattern: '/web/auth/logout',
    auth: false,
    handler: (env, req) => {
      const token = tokenOf(req.headers);
      if (token) env.sessions.delete(token);
      return ok({ success: true, message: 'Logout successful' });
    },
  },
  {
    method: 'GET',
    pattern: '/web/auth/user',
    auth: true,
    handler: (env, req) => ok({ success: true, user: env.sessions.view(req.session!) }),
  },
  {
    method: 'POST',
    pattern: '/web/auth/refresh',
    auth: true,
    handler: (_env, req) => ok({ success: true, token: req.token, expiresIn: 86_400_000 }),
  },
];
