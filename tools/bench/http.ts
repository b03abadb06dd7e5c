/** JSON requests to the portal under test (127.0.0.1 only), with a Bearer token. */
import net from 'node:net';

export interface ApiOptions {
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

/** Sends one request; resolves with the JSON answer, rejects on any status >= 400. */
export async function api<T>(baseUrl: string, method: string, route: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 200)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Signs in; returns the access token. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const answer = await api<{ accessToken: string }>(baseUrl, 'POST', '/api/auth/login', {
    body: { username, password },
  });
  return answer.accessToken;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
