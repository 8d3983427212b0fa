import { RestError, SwitchboardRest } from '../../packages/client/src/rest';
import type { LoginResult } from '../../packages/client/src/rest';

export { RestError };
export type User = LoginResult['user'];

const STORE = 'switchboard.session';
const origin = location.origin;

/**
 * Who the page acts as: a device (its token in the URL, as printed on the QR
 * code) or a logged-in user (a session kept in localStorage, its refresh
 * token rotated on every refresh and stored again).
 */
export interface Auth {
  token(): Promise<string>;
  user: User | null;
}

export const rest = new SwitchboardRest(origin);

type Stored = { result: LoginResult; expiresAt: number };
const stored = (): Stored | null => {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? 'null') as Stored | null;
  } catch {
    return null;
  }
};

function persist(): void {
  const s = rest.current();
  if (s) localStorage.setItem(STORE, JSON.stringify(s));
  else localStorage.removeItem(STORE);
}

function userAuth(user: User): Auth {
  return {
    user,
    token: async () => {
      // Another tab may have refreshed the session (spending the refresh token this one holds): take its newer pair.
      const other = stored();
      const mine = rest.current();
      if (other && mine && other.result.refresh_token !== mine.result.refresh_token && other.expiresAt > mine.expiresAt) rest.restore(other.result, other.expiresAt);
      const t = await rest.accessToken();
      persist();
      return t;
    },
  };
}

export async function login(email: string, password: string): Promise<Auth> {
  const r = await rest.login(email, password);
  persist();
  return userAuth(r.user);
}

/** The session of an earlier page load (or another tab), if it still works. */
export async function resumeSession(): Promise<Auth | null> {
  const s = stored();
  if (!s?.result?.refresh_token) return null;
  rest.restore(s.result, s.expiresAt);
  const auth = userAuth(s.result.user);
  try {
    await call(auth, 'GET', '/api/users/me');
    return auth;
  } catch {
    localStorage.removeItem(STORE);
    return null;
  }
}

export async function logout(): Promise<void> {
  await rest.logout().catch(() => undefined);
  localStorage.removeItem(STORE);
}

/** A screen opened with `?token=` (a device) or by a logged-in user. */
export async function screenAuth(): Promise<Auth | null> {
  const token = new URLSearchParams(location.search).get('token');
  if (token) return { user: null, token: async () => token };
  return resumeSession();
}

/** A REST call as `auth`; errors are RestError with the server's code and message. */
export async function call<T>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${await auth.token()}` };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  const res = await fetch(origin + path, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
  const text = await res.text();
  const parsed = text && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : { text };
  if (!res.ok) throw new RestError(res.status, String(parsed.error ?? res.status), String(parsed.message ?? res.statusText));
  return parsed as T;
}

export const param = (name: string): string | null => new URLSearchParams(location.search).get(name);
