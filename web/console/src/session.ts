// The signed-in session (contract: POST /auth/login, GET /auth/session, POST /auth/logout) and
// `can(scope)`, which pages use to hide actions the user's role lacks.
import { useEffect, useState } from 'preact/hooks';
import { request, setCsrfToken } from './api';

export interface User {
  id: string;
  email: string;
  role: string;
  tenant: string;
}

export interface Session {
  user: User;
  tenant: string;
  role: string;
  scopes: string[];
  csrf_token: string;
  idle_expires_at: string;
  expires_at: string;
}

type State = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; session: Session };

let state: State = { status: 'loading' };
const listeners = new Set<(s: State) => void>();

function set(next: State): void {
  state = next;
  setCsrfToken(next.status === 'signed-in' ? next.session.csrf_token : null);
  for (const l of listeners) l(next);
}

/** The current session state; re-renders the caller when it changes. */
export function useSession(): State {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => void listeners.delete(setS);
  }, []);
  return s;
}

/** Asks the server who is signed in (GET /auth/session); a 401 or any failure means nobody. */
export async function loadSession(): Promise<void> {
  try {
    set({ status: 'signed-in', session: await request<Session>('GET', '/auth/session', { signInOn401: false }) });
  } catch {
    set({ status: 'signed-out' });
  }
}

/** Signs in, then loads the full session (scopes). Rejects with the API's ApiError. */
export async function signIn(email: string, password: string): Promise<void> {
  await request('POST', '/auth/login', { body: { email, password }, signInOn401: false });
  await loadSession();
}

export async function signOut(): Promise<void> {
  try {
    await request('POST', '/auth/logout', { body: {}, signInOn401: false });
  } finally {
    set({ status: 'signed-out' });
  }
}

/** Forgets the session locally (after a 401 from any request). */
export function sessionExpired(): void {
  if (state.status === 'signed-in') set({ status: 'signed-out' });
}

/** True when `scopes` grant `scope`: exactly, by "*", or by a "prefix:*" wildcard. */
export function scopeGrants(scopes: readonly string[], scope: string): boolean {
  // The server's rule (ScopesGrant in src/auth/jwt.cpp): "*" and write:all grant everything,
  // read:all every read but read:users and read:tokens, and write:X also grants read:X.
  const [verb, object] = scope.split(':', 2);
  return scopes.some(
    (s) =>
      s === '*' ||
      s === scope ||
      s === 'write:all' ||
      (verb === 'read' &&
        (s === 'write:' + object || (s === 'read:all' && object !== 'users' && object !== 'tokens'))),
  );
}

/** Whether the signed-in user holds `scope` (false when signed out). */
export function can(scope: string): boolean {
  return state.status === 'signed-in' && scopeGrants(state.session.scopes, scope);
}
