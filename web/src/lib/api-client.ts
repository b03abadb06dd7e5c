import type { Session } from '@shared/contract/auth';
import type { ErrorBody } from '@shared/contract/errors';
import { friendlyMessage } from './error-messages';

/** An error answer of the API: its contract code, HTTP status and a message fit for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the server said, kept for logs and tests. */
    readonly serverMessage: string = message,
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Show a notification when the request fails. Defaults to true. */
  notify?: boolean;
}

/**
 * What the client tells the rest of the app. `lib/` knows no stores: the app sets these at
 * start-up (web/src/app/), so the client stays a plain module that tests can drive.
 */
export interface ApiClientHooks {
  /** A refresh renewed the session (the user may have changed role or name since). */
  onSessionRenewed(session: Session): void;
  /** The server refused the session and a refresh could not renew it. */
  onSessionLost(): void;
  /** A request failed and its caller wants people told (`notify` was not false). */
  onError(message: string): void;
}

const noHooks: ApiClientHooks = {
  onSessionRenewed: () => undefined,
  onSessionLost: () => undefined,
  onError: () => undefined,
};
let hooks = noHooks;

/** Sets the client's hooks; hooks left out do nothing. */
export function configureApiClient(next: Partial<ApiClientHooks>): void {
  hooks = { ...noHooks, ...next };
}

/** Routes that answer 401 for reasons a refresh cannot fix. */
const NO_REFRESH = ['/api/auth/login', '/api/auth/setup', '/api/auth/refresh', '/api/auth/logout'];

let refreshing: Promise<Session | null> | null = null;

/**
 * Renews the session with the refresh cookie: the new session, or null when the server
 * refused it (signed out, revoked, expired). Throws a `network` ApiError when the server
 * could not answer (offline, restarting): the session may be fine, so that signs nobody out.
 * Concurrent callers share one request: the refresh token rotates on each use.
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const unreachable = (status: number) => new ApiError(status, 'network', friendlyMessage('network'));
    let res: Response;
    try {
      res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    } catch {
      throw unreachable(0);
    }
    if (res.status === 401) return null;
    if (!res.ok) throw unreachable(res.status);
    const session = (await res.json()) as Session;
    hooks.onSessionRenewed(session);
    return session;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function urlOf(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const hasBody = options.body !== undefined;
  try {
    return await fetch(urlOf(path, options.query), {
      method,
      credentials: 'same-origin',
      // No Content-Type without a body: the server refuses an empty JSON body.
      headers: hasBody
        ? { 'content-type': 'application/json', accept: 'application/json' }
        : { accept: 'application/json' },
      body: hasBody ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', friendlyMessage('network'));
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = res.status === 404 ? 'not_found' : 'internal';
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not the contract's JSON (a proxy's HTML page): keep the status-based guess.
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ApiError(
    res.status,
    code,
    friendlyMessage(code, message),
    message,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/**
 * Sends a request with the session cookie. On 401 it refreshes the session once and
 * retries; only when that refresh fails is the session over (the router sends the user to
 * /login and back). Failures become ApiError and, unless `notify: false`, reach the
 * `onError` hook (the app shows a notification).
 */
export async function requestRaw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const wantsNotice = options.notify ?? true;
  try {
    let res = await send(method, path, options);
    if (res.status === 401 && !NO_REFRESH.includes(path)) {
      if (await refreshSession()) res = await send(method, path, options);
      if (res.status === 401) {
        hooks.onSessionLost();
        throw await errorOf(res);
      }
    }
    if (!res.ok) {
      const error = await errorOf(res);
      if (wantsNotice) hooks.onError(error.message);
      throw error;
    }
    return res;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'network' && wantsNotice) hooks.onError(error.message);
    throw error;
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await requestRaw(method, path, options);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: (path: string, options?: RequestOptions) => request<void>('DELETE', path, options),
};
