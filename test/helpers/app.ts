import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { testConfig } from './config.js';

export { TEST_MODELS, TINY_LLAMA, TINY_ZEPHYR } from './models.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export function tempDir(t: Teardown, prefix = 'pocketllm-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh portal on its own temp DATA_DIR; no model unless the test asks for one. */
export async function buildTestApp(t: Teardown, overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  const config = testConfig({ dataDir: tempDir(t), modelsDir: tempDir(t), ...overrides });
  const app = await buildApp(config);
  t.teardown(() => app.close());
  return app;
}

export const PASSWORD = 'correct horse battery';

/** Creates the first admin through the setup route and returns a bearer token for it. */
export async function setupAdmin(app: FastifyInstance, username = 'admin'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/setup', payload: { username, password: PASSWORD } });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.body}`);
  return login(app, username);
}

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return res.json<{ accessToken: string }>().accessToken;
}

/** Creates a user through the admin API and returns a bearer token for it. */
export async function createUser(
  app: FastifyInstance,
  adminToken: string,
  username: string,
  role: 'admin' | 'user' = 'user',
): Promise<{ id: string; token: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: bearer(adminToken),
    payload: { username, password: PASSWORD, role },
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.body}`);
  return { id: res.json<{ user: { id: string } }>().user.id, token: await login(app, username) };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
