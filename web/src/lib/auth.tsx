/** Who is signed in: `GET /api/auth/me` (null = signed out), login/register/logout, and expired sessions. */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, api, setMfaRequiredHandler, setUnauthorizedHandler } from '../api/client';
import type {
  LoginBody,
  MeResponse,
  MfaChallenge,
  MfaVerifyBody,
  RegisterBody,
  SignedInResponse,
  User,
} from '../api/contract';
import { qk } from '../api/queries';
import { navigate } from './router';

export function useMe() {
  return useQuery({
    queryKey: qk.me,
    queryFn: async () => {
      try {
        return (await api<MeResponse>('/api/auth/me', { expect401: true })).user;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });
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
