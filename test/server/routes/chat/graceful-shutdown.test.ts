import t from 'tap';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { startServer } from '../../../helpers/server-process.js';
import { ChatClient } from '../../../helpers/ws-client.js';

interface StoredAnswer {
  status: string;
  content: string;
  error_code: string | null;
}

/** The answer as the stopped server left it, read from its file (no start-up clean-up in between). */
function storedAnswer(dataDir: string, messageId: string): StoredAnswer | undefined {
  const db = new SQLite(path.join(dataDir, 'pocketllm.sqlite'), { readonly: true });
  try {
    return db
      .prepare<[string], StoredAnswer>('SELECT status, content, error_code FROM messages WHERE id = ?')
      .get(messageId);
  } finally {
    db.close();
  }
}

const long = { maxTokens: 8000, noCache: true, temperature: 1, stop: ['\u0000never\u0000'] };

t.test('SIGTERM with a long grace lets the running answer finish; queued work is cut at once', async (t) => {
  const server = await startServer(t, { SHUTDOWN_GRACE_MS: '120000' });
  const client = await ChatClient.connect(server.wsUrl, { token: server.token });
  client.send({ type: 'chat', id: 'running', content: 'Write a while', options: { ...long, maxTokens: 3000 } });
  client.send({ type: 'chat', id: 'queued', content: 'Wait your turn', options: long });
  const start = await client.waitFor((f) => f.type === 'start' && f.id === 'running');
  await client.waitFor((f) => f.type === 'queued' && f.id === 'queued');
  await client.waitFor((f) => f.type === 'token' && f.id === 'running');
  server.child.kill('SIGTERM');
  const sentAt = Date.now();

  const queued = await client.waitFor((f) => f.type === 'error' && f.id === 'queued');
  t.match(queued, { code: 'server_restarting', retryAfterMs: 5000 }, 'the queued request is told at once');
  t.notOk(
    client.frames.some((f) => f.type === 'done'),
    'the running answer was still streaming when the queued one was cut',
  );
  const ready = await fetch(`${server.base}/readyz`);
  t.equal(ready.status, 503, '/readyz says 503 while draining');
  t.match(await ready.json(), { checks: { shutdown: { ok: false } } });
  client.send({ type: 'chat', id: 'late', content: 'Too late', options: long });
  t.match(await client.waitFor((f) => f.id === 'late'), { type: 'error', code: 'server_restarting' });
  await t.rejects(ChatClient.connect(server.wsUrl), /upgrade refused: 503/, 'new sockets are refused');

  const done = await client.waitFor((f) => f.type === 'done' && f.id === 'running', 120_000);
  t.equal(done.finishReason, 'length', 'the running answer ran to its end');
  const closed = await client.waitClosed(10_000);
  t.equal(closed.code, 1012, 'then the socket closes with "service restart"');
  t.match(client.frames.at(-1), { type: 'error', code: 'server_restarting', retryAfterMs: 5000 });
  t.equal(await server.exited, 0, 'the process exits cleanly');
  t.ok(Date.now() - sentAt < 120_000, 'without waiting out the whole grace period');
  t.match(storedAnswer(server.dataDir, start.assistantMessageId as string), { status: 'complete' });
});

t.test('SIGTERM with a short grace cuts the answer, stores it interrupted and tells the client', async (t) => {
  const server = await startServer(t, { SHUTDOWN_GRACE_MS: '200' });
  const client = await ChatClient.connect(server.wsUrl, { token: server.token });
  client.send({ type: 'chat', id: 'k', content: 'Write forever', options: long });
  const start = await client.waitFor((f) => f.type === 'start');
  await client.waitFor((f) => f.type === 'token');
  server.child.kill('SIGTERM');
  const sentAt = Date.now();

  const cut = await client.waitFor((f) => f.type === 'error' && f.id === 'k', 10_000);
  t.match(cut, { code: 'server_restarting', retryAfterMs: 5000 });
  t.notOk(
    client.frames.some((f) => f.type === 'done'),
    'the answer did not finish',
  );
  const closed = await client.waitClosed(10_000);
  t.equal(closed.code, 1012);
  t.equal(await server.exited, 0, 'the process exits cleanly');
  t.ok(Date.now() - sentAt < 200 + 8000, 'within the grace period and a few seconds');

  const streamed = client.frames
    .filter((f) => f.type === 'token')
    .map((f) => f.text)
    .join('');
  const stored = storedAnswer(server.dataDir, start.assistantMessageId as string);
  t.match(stored, { status: 'interrupted', error_code: null }, 'the same state as after a crash');
  t.ok(stored!.content.length > 0, 'with its partial text');
  t.equal(stored!.content, streamed, 'exactly what the client was sent');
});
