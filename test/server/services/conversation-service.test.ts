import t from 'tap';
import {
  createConversationService,
  decodeCursor,
  deriveTitle,
  encodeCursor,
  toMessageView,
} from '../../../server/services/conversation-service.js';
import type { MessageRow } from '../../../server/db/tables/message.table.js';
import { buildTestApp, setupAdmin } from '../../helpers/app.js';

t.test('deriveTitle: first meaningful line, collapsed, cut at a word near 60 chars', async (t) => {
  t.equal(deriveTitle('Hello there'), 'Hello there');
  t.equal(
    deriveTitle('  Plan   my\tweek \nwith details below'),
    'Plan my week',
    'first line only, whitespace collapsed',
  );
  t.equal(deriveTitle('\n\n```\nconst x = 1;\n```'), 'const x = 1;', 'skips lines with no words in them');
  const long = 'Explain the difference between processes and threads in operating systems with examples';
  const title = deriveTitle(long);
  t.equal(title, 'Explain the difference between processes and threads in…');
  t.ok(Array.from(title).length <= 61);
  t.ok(long.startsWith(title.slice(0, -1)), 'cut at a word boundary');
  t.equal(deriveTitle('x'.repeat(100)), `${'x'.repeat(60)}…`, 'one endless word is cut hard');
  t.equal(deriveTitle('😀'.repeat(70)), `${'😀'.repeat(60)}…`, 'never splits an emoji');
  t.equal(
    deriveTitle('a'.repeat(59) + ', and then some more words'),
    `${'a'.repeat(59)}…`,
    'no dangling comma before the ellipsis',
  );
  t.equal(deriveTitle(''), 'New chat', 'never empty');
  t.equal(deriveTitle(' \n\t '), 'New chat');
  t.equal(deriveTitle('???'), '???', 'punctuation alone is still a title');
});

t.test('setTitleFromFirstMessage only replaces the default title; touch moves a chat up', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const userId = (await app.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const service = createConversationService(app.db);

  const fresh = await service.create(userId, {});
  await service.setTitleFromFirstMessage(fresh.id, 'How do I bake bread?\nI have flour.');
  t.equal((await service.get(userId, fresh.id)).title, 'How do I bake bread?');
  await service.setTitleFromFirstMessage(fresh.id, 'A second message');
  t.equal((await service.get(userId, fresh.id)).title, 'How do I bake bread?', 'only the first message names it');

  const named = await service.create(userId, { title: 'My title' });
  await service.setTitleFromFirstMessage(named.id, 'Something else');
  t.equal((await service.get(userId, named.id)).title, 'My title', 'a title the user chose is kept');

  t.same(
    (await service.list(userId)).conversations.map((c) => c.id),
    [named.id, fresh.id],
  );
  await service.touch(fresh.id);
  const after = await service.get(userId, fresh.id);
  t.ok(after.updatedAt > fresh.updatedAt);
  t.same(
    (await service.list(userId)).conversations.map((c) => c.id),
    [fresh.id, named.id],
    'touched goes first',
  );

  await t.rejects(service.get('someone-else', fresh.id), { statusCode: 404, code: 'not_found' });
  await t.rejects(service.update(userId, fresh.id, {}), { name: 'AppError', message: /title or a systemPrompt/ });
  await t.rejects(service.list(userId, { cursor: 'nope' }), { statusCode: 400, code: 'bad_request' });
  t.equal((await service.list(userId, { limit: 1000 })).conversations.length, 2, 'the service clamps limit too');
});

t.test('cursor round trip', async (t) => {
  const at = '2025-01-02T03:04:05.678Z';
  t.same(decodeCursor(encodeCursor(at, 'abc')), { updatedAt: at, id: 'abc' });
  t.match(encodeCursor(at, 'abc'), /^[A-Za-z0-9_-]+$/, 'URL-safe');
  t.throws(() => decodeCursor(Buffer.from(JSON.stringify([at, ''])).toString('base64url')), {
    name: 'AppError',
    message: /cursor/,
  });
  t.throws(() => decodeCursor(Buffer.from(JSON.stringify([1, 'a'])).toString('base64url')), {
    name: 'AppError',
    message: /cursor/,
  });
});

t.test('toMessageView maps rows to the contract', async (t) => {
  const base: MessageRow = {
    seq: 1,
    id: 'm1',
    conversation_id: 'c1',
    role: 'user',
    content: 'Hi',
    status: 'complete',
    cached: 0,
    prompt_tokens: null,
    completion_tokens: null,
    ttft_ms: null,
    total_ms: null,
    tokens_per_second: null,
    error_code: null,
    finish_reason: null,
    created_at: '2025-01-01T00:00:00.000Z',
  };
  t.same(toMessageView(base), {
    id: 'm1',
    role: 'user',
    content: 'Hi',
    status: 'complete',
    createdAt: '2025-01-01T00:00:00.000Z',
  });
  t.same(toMessageView({ ...base, role: 'assistant' }), {
    id: 'm1',
    role: 'assistant',
    content: 'Hi',
    status: 'complete',
    createdAt: base.created_at,
    cached: false,
  });
  const full = toMessageView({
    ...base,
    role: 'assistant',
    cached: 1,
    prompt_tokens: 5,
    completion_tokens: 7,
    ttft_ms: 12,
    total_ms: 100,
    tokens_per_second: 70,
  });
  t.same(full.usage, { promptTokens: 5, completionTokens: 7 });
  t.same(full.timings, { ttftMs: 12, totalMs: 100, tokensPerSecond: 70 });
  t.equal(full.cached, true);
  t.equal(toMessageView({ ...base, role: 'assistant', finish_reason: 'length' }).finishReason, 'length');
  t.equal(toMessageView({ ...base, role: 'assistant', finish_reason: 'stop' }).finishReason, undefined);
  const partial = toMessageView({
    ...base,
    role: 'assistant',
    status: 'stopped',
    ttft_ms: null,
    total_ms: 50,
    tokens_per_second: 0,
  });
  t.notOk('timings' in partial, 'no half-filled timings');
  t.equal(toMessageView({ ...base, role: 'assistant', status: 'error', error_code: 'internal' }).errorCode, 'internal');
  t.notOk('errorCode' in toMessageView({ ...base, error_code: 'internal' }), 'errorCode only on failed messages');
});
