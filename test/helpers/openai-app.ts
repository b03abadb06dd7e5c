import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import type { Config } from '../../server/config.js';
import { bearer, createUser, type Teardown } from './app.js';
import { startChatApp } from './chat-app.js';

/** The tiny model's id as /v1 names it. */
export const TINY_MODEL_ID = 'tiny-random-zephyr';

export interface OpenAiApp {
  app: FastifyInstance;
  /** The listening server's base URL. */
  url: string;
  admin: string;
  /** A client for a fresh user with a fresh key (no retries: tests see every 429). */
  client(username: string): Promise<{ openai: OpenAI; key: string; userId: string; token: string }>;
}

/** The chat fixture's listening portal with the tiny model, for the official `openai` client. */
export async function listenWithModel(t: Teardown, overrides: Partial<Config> = {}): Promise<OpenAiApp> {
  const { app, url: socketUrl, token: admin } = await startChatApp(t, { maxTokens: 256, ...overrides });
  const url = new URL(socketUrl).origin.replace(/^ws/, 'http');
  return {
    app,
    url,
    admin,
    async client(username) {
      const user = await createUser(app, admin, username);
      const res = await app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: bearer(user.token),
        payload: { name: 'test' },
      });
      const { key } = res.json<{ key: string }>();
      const openai = new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0, timeout: 60_000 });
      return { openai, key, userId: user.id, token: user.token };
    },
  };
}
