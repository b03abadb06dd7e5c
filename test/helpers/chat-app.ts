import type { FastifyInstance } from 'fastify';
import type { Config } from '../../server/config.js';
import { TINY_ZEPHYR, buildTestApp, setupAdmin } from './app.js';
import { ChatClient } from './ws-client.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface ChatFixture {
  app: FastifyInstance;
  url: string;
  token: string;
  connect(token?: string): Promise<ChatClient>;
}

/** A listening portal with the tiny real model loaded, an admin, and a socket factory. */
export async function startChatApp(t: Teardown, overrides: Partial<Config> = {}): Promise<ChatFixture> {
  const app = await buildTestApp(t, {
    modelPath: TINY_ZEPHYR,
    contextSize: 512,
    maxTokens: 48,
    parallel: 2,
    threads: 1,
    ...overrides,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const status = await app.engine.ready();
  if (status.state !== 'ready') throw new Error(`model did not load: ${status.hint}`);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `ws://127.0.0.1:${port}/api/chat/ws`;
  const token = await setupAdmin(app);
  const clients: ChatClient[] = [];
  t.teardown(() => clients.forEach((c) => c.close()));
  return {
    app,
    url,
    token,
    async connect(as = token) {
      const client = await ChatClient.connect(url, { token: as });
      clients.push(client);
      return client;
    },
  };
}
