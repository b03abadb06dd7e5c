import { Redis } from 'ioredis';

/** Reconnect backoff: fast at first, then every 2 s so a returning Redis is noticed soon. */
const RETRY_BASE_MS = 50;
const RETRY_MAX_MS = 2000;

/**
 * A Redis client for a store that has an in-process fallback: commands fail fast instead of
 * queueing while disconnected, and the client keeps reconnecting in the background.
 * `timeoutMs` bounds each command and (at least 1 s) the TCP connect.
 */
export function connectRedis(url: string, { timeoutMs, name }: { timeoutMs: number; name: string }): Redis {
  return new Redis(url, {
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    enableOfflineQueue: false,
    // A command in flight when the socket dies is failed at once, never replayed later.
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(RETRY_BASE_MS * 2 ** Math.min(times, 10), RETRY_MAX_MS),
    connectionName: name,
  });
}

/** Ends the connection politely, or at once when Redis cannot answer the QUIT. */
export async function closeRedis(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect(false);
  }
}
