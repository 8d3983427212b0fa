/** What POST /api/auth/login and /api/auth/refresh return. */
export interface LoginResult {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: { id: string; email: string; name: string; role: string };
}

/** A REST call that failed: the HTTP status and the server's error code (`VALIDATION_FAILED`, `UNAUTHORIZED`, …). */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Login and token refresh. `accessToken()` hands out the current access
 * token and refreshes it shortly before it expires (a refresh token works
 * once; the new pair replaces it), so it can be a connector's token source.
 */
export class SwitchboardRest {
  private session: { result: LoginResult; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  async login(email: string, password: string): Promise<LoginResult> {
    return this.keep(await this.post<LoginResult>('/api/auth/login', { email, password }));
  }

  async refresh(): Promise<LoginResult> {
    if (!this.session) throw new RestError(401, 'UNAUTHORIZED', 'not logged in');
    return this.keep(await this.post<LoginResult>('/api/auth/refresh', { refresh_token: this.session.result.refresh_token }));
  }

  /**
   * Continues a session the caller kept (a page reload, another tab that
   * refreshed it): no request; `accessToken()` refreshes it when due.
   */
  restore(result: LoginResult, expiresAt: number): void {
    this.session = { result, expiresAt };
  }

  /** The current session and when its access token expires (ms since the epoch), to keep across page loads; null when logged out. */
  current(): { result: LoginResult; expiresAt: number } | null {
    return this.session ? { ...this.session } : null;
  }

  async logout(): Promise<void> {
    if (!this.session) return;
    const { refresh_token, access_token } = this.session.result;
    this.session = null;
    await this.post('/api/auth/logout', { refresh_token }, access_token);
  }

  /** A valid access token: refreshed when less than 30 s (or a tenth of its life) is left. */
  async accessToken(): Promise<string> {
    const s = this.session;
    if (!s) throw new RestError(401, 'UNAUTHORIZED', 'not logged in');
    const margin = Math.min(30_000, (s.result.expires_in * 1000) / 10);
    if (Date.now() < s.expiresAt - margin) return s.result.access_token;
    this.refreshing ??= this.refresh()
      .then((r) => r.access_token)
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Any other REST call, with the access token. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body, await this.accessToken());
  }

  private keep(result: LoginResult): LoginResult {
    this.session = { result, expiresAt: Date.now() + result.expires_in * 1000 };
    return result;
  }

  private post<T>(path: string, body: unknown, token?: string): Promise<T> {
    return this.call<T>('POST', path, body, token);
  }

  private async call<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await this.fetchImpl(new URL(path, this.baseUrl).toString(), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) throw new RestError(res.status, String(parsed.error ?? res.status), String(parsed.message ?? res.statusText));
    return parsed as T;
  }
}
