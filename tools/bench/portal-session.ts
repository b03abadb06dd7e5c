/**
 * A started portal with its admin signed in and a few users, each with its own socket, so
 * concurrent clients are different users as they would be in use (the queue is fair by user).
 */
import { api, login } from './http.js';
import type { BenchPlan } from './plan.js';
import { PortalServer } from './portal-server.js';
import { TimedClient } from './timed-client.js';

const ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };
const USER_PASSWORD = 'bench-user-password';

export interface PortalSession {
  server: PortalServer;
  adminToken: string;
  /** One client per user, created on demand by clients(). */
  clients(count: number): Promise<TimedClient[]>;
  /** A user's access token (creating the user if needed). */
  userToken(name: string): Promise<string>;
  close(): Promise<void>;
}

/** The cache settings of a portal: `redisUrl` unset means the memory tier alone. */
export interface PortalCache {
  redisUrl?: string;
  memoryMb?: number;
}

export async function openPortal(plan: BenchPlan, cache: PortalCache = {}): Promise<PortalSession> {
  const server = await PortalServer.start(
    {
      modelPath: plan.modelPath,
      threads: plan.threads,
      contextSize: plan.contextSize,
      parallel: plan.parallel,
      ...(cache.redisUrl ? { redisUrl: cache.redisUrl } : {}),
      ...(cache.memoryMb === undefined ? {} : { cacheMemoryMb: cache.memoryMb }),
      adminUsername: ADMIN.username,
      adminPassword: ADMIN.password,
    },
    plan.loadTimeoutMs,
  );
  try {
    const adminToken = await login(server.baseUrl, ADMIN.username, ADMIN.password);
    const tokens = new Map<string, string>();
    const connected: TimedClient[] = [];
    const userToken = async (name: string): Promise<string> => {
      const known = tokens.get(name);
      if (known) return known;
      await api(server.baseUrl, 'POST', '/api/admin/users', {
        token: adminToken,
        body: { username: name, password: USER_PASSWORD, role: 'user' },
      });
      const token = await login(server.baseUrl, name, USER_PASSWORD);
      tokens.set(name, token);
      return token;
    };
    return {
      server,
      adminToken,
      userToken,
      async clients(count) {
        while (connected.length < count) {
          const token = await userToken(`bench-user-${connected.length + 1}`);
          connected.push(await TimedClient.connect(server.wsUrl, token));
        }
        return connected.slice(0, count);
      },
      async close() {
        for (const client of connected) client.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
