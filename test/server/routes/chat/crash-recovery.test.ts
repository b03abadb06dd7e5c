import t from 'tap';
import { spawn } from 'node:child_process';
import net from 'node:net';
import SQLite from 'better-sqlite3';
import path from 'node:path';
import { PASSWORD, TINY_ZEPHYR, bearer, buildTestApp, login, tempDir } from '../../../helpers/app.js';
import { ChatClient } from '../../../helpers/ws-client.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function waitHealthy(base: string) {
  for (let i = 0; i < 300; i++) {
    const ready = await fetch(`${base}/readyz`).catch(() => undefined);
    if (ready?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

/** Waits (reading the server's database beside it) until a periodic save has stored part of the answer. */
async function savedPartially(dataDir: string, messageId: string) {
  const db = new SQLite(path.join(dataDir, 'pocketllm.sqlite'), { readonly: true });
  try {
    const saved = db.prepare<[string], { length: number }>(
      'SELECT length(content) AS length FROM messages WHERE id = ?',
    );
    for (let i = 0; i < 200; i++) {
      if ((saved.get(messageId)?.length ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no partial answer was saved within 10 s');
  } finally {
    db.close();
  }
}

t.test('a server killed mid-answer keeps the user message and an interrupted answer', async (t) => {
  const dataDir = tempDir(t);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MODEL_PATH: TINY_ZEPHYR,
      CONTEXT_SIZE: '8192',
      MAX_TOKENS: '8000',
      PARALLEL: '1',
      THREADS: '1',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
    },
    stdio: 'ignore',
  });
  t.teardown(() => child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base);
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const { accessToken } = (await res.json()) as { accessToken: string };
  const client = await ChatClient.connect(`ws://127.0.0.1:${port}/api/chat/ws`, { token: accessToken });
  client.send({ type: 'chat', id: 'k', content: 'Write forever', options: { maxTokens: 8000, noCache: true } });
  const start = await client.waitFor((f) => f.type === 'start');
  await client.waitFor((f) => f.type === 'token');
  await savedPartially(dataDir, start.assistantMessageId as string);
  t.notOk(
    client.frames.some((f) => f.type === 'done'),
    'still streaming when killed',
  );
  child.kill('SIGKILL');
  await client.waitClosed();
  const streamed = client.frames
    .filter((f) => f.type === 'token')
    .map((f) => f.text)
    .join('');

  const app = await buildTestApp(t, { dataDir });
  const token = await login(app, 'admin');
  const { messages } = (
    await app.inject({ url: `/api/conversations/${start.conversationId}`, headers: bearer(token) })
  ).json();
  t.equal(messages.length, 2);
  t.match(messages[0], { id: start.userMessageId, role: 'user', content: 'Write forever', status: 'complete' });
  t.equal(messages[1].status, 'interrupted');
  t.ok(messages[1].content.length > 0, 'the partial answer was saved while streaming');
  t.ok(streamed.startsWith(messages[1].content), 'what was kept is what the client saw');
});
