/**
 * Who is signed in: `GET /api/auth/session` (user null = signed out, never a 401 in the console), login/register/
 * logout, expired sessions, and the signed-in hint that lets a page start drawing before the answer (decision 034).
 */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, api, setMfaRequiredHandler, setUnauthorizedHandler } from '../api/client';
import type {
  LoginBody,
  MfaChallenge,
  MfaVerifyBody,
  RegisterBody,
  SessionResponse,
  SignedInResponse,
  User,
} from '../api/contract';
import { qk } from '../api/queries';
import { navigate } from './router';

const HINT_KEY = 'kp.session';

/**
 * The user this browser was last signed in as, kept while signed in: a load with it draws the page at once and
 * starts the page's own requests beside the session question instead of after it. The answer then decides: another
 * user or none replaces it. Only the profile the top bar shows, never a token (the session stays in its httpOnly
 * cookie); removed on sign-out and whenever the portal says no one is signed in.
 */
export function sessionHint(): User | undefined {
  try {
    const raw = localStorage.getItem(HINT_KEY);
    const u = raw ? (JSON.parse(raw) as Partial<User>) : undefined;
    return u && typeof u.id === 'string' && typeof u.email === 'string' && u.role ? (u as User) : undefined;
  } catch {
    return undefined;
  }
}

function rememberSession(user: User | null): void {
  try {
    if (user) localStorage.setItem(HINT_KEY, JSON.stringify(user));
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // Private mode: no hint, the page waits for the answer.
  }
}

export const sessionQuery = {
  queryKey: qk.me,
  queryFn: async (): Promise<User | null> => {
    const { user } = await api<SessionResponse>('/api/auth/session');
    rememberSession(user);
    return user;
  },
  staleTime: Number.POSITIVE_INFINITY,
  retry: (n: number, e: unknown) => !(e instanceof ApiError && e.status < 500) && n < 2,
};

/** The signed-in user (null: signed out); while the answer is on its way, the hinted user as placeholder. */
export function useMe() {
  return useQuery({ ...sessionQuery, placeholderData: sessionHint });
}

/** A path inside this app to go back to after signing in (never another origin, never the auth pages). */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/register') || next.startsWith('/sso')) return '/';
  return next;
}

export function loginUrl(next: string, expired = false): string {
  const params = new URLSearchParams();
  if (next && next !== '/') params.set('next', next);
  if (expired) params.set('expired', '1');
  const qs = params.toString();
  return qs ? `/login?${qs}` : '/login';
}

/**
 * Someone else (or no one) is signed in now: forget every cached answer that belongs to a user and record who
 * is signed in. The public `meta` (mode, registration policy, limit caps) stays.
 */
export function clearUserData(qc: QueryClient, me: User | null = null): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== qk.me[0] && q.queryKey[0] !== qk.meta[0] });
  qc.setQueryData(qk.me, me);
  rememberSession(me);
}

/** After logging out, or revoking this browser's own session. */
export function signedOut(qc: QueryClient): void {
  clearUserData(qc);
  navigate('/login', { replace: true });
}

/**
 * Any 401 from an authenticated call means the session is gone (expired, revoked, password changed
 * elsewhere): forget every cached answer and send the person to login, then back to where they were.
 */
export function useSessionExpiry(): void {
  const qc = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search;
      if (here.startsWith('/login') || here.startsWith('/register') || here.startsWith('/sso')) return;
      qc.cancelQueries();
      clearUserData(qc);
      navigate(loginUrl(here, true), { replace: true });
    });
    // The operator requires a second factor this account lacks: every page but the set-up answers 403 until then.
    setMfaRequiredHandler(() => navigate('/two-factor?required=1', { replace: true }));
    return () => {
      setUnauthorizedHandler(undefined);
      setMfaRequiredHandler(undefined);
    };
  }, [qc]);
}

/** The password step: signed in (200), or a challenge for the second factor (202). */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) =>
      api<SignedInResponse | MfaChallenge>('/api/auth/login', { method: 'POST', body, expect401: true }),
    onSuccess: (r) => {
      // The token in the answer is for scripts; the browser keeps only the httpOnly cookie.
      if ('user' in r) clearUserData(qc, r.user);
    },
  });
}

/** The second step: the challenge and a code from the app or a recovery code. */
export function useVerifyMfa() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MfaVerifyBody) =>
      api<SignedInResponse>('/api/auth/mfa/verify', { method: 'POST', body, expect401: true }),
    onSuccess: ({ user }) => clearUserData(qc, user),
  });
}

export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RegisterBody) => api<SignedInResponse>('/api/auth/register', { method: 'POST', body }),
    onSuccess: ({ user }) => {
      clearUserData(qc, user);
      // The admin's registration ends "setup required".
      if (user.role === 'admin') qc.invalidateQueries({ queryKey: qk.meta });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST', expect401: true }).catch(() => undefined),
    onSettled: () => signedOut(qc),
  });
}
