import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { insertMessage } from '../../../../server/db/repositories/messages.js';
import type { MessageStatus } from '../../../../server/db/tables/message.table.js';
import { bearer, buildTestApp, setupAdmin } from '../../../helpers/app.js';

const URL = '/api/conversations';
const today = () => new Date().toISOString().slice(0, 10);

async function seedMessage(
  app: FastifyInstance,
  conversationId: string,
  role: 'user' | 'assistant',
  content: string,
  status: MessageStatus = 'complete',
  errorCode: string | null = null,
) {
  await insertMessage(app.db, {
    id: randomUUID(),
    conversation_id: conversationId,
    role,
    content,
    status,
    cached: 0,
    prompt_tokens: null,
    completion_tokens: null,
    ttft_ms: null,
    total_ms: null,
    tokens_per_second: null,
    error_code: errorCode,
    created_at: new Date().toISOString(),
  });
}

async function seeded(t: Parameters<typeof buildTestApp>[0], title: string) {
  const app = await buildTestApp(t);
  const h = bearer(await setupAdmin(app));
  const conversation = (
    await app.inject({
      method: 'POST',
      url: URL,
      headers: h,
      payload: { title, systemPrompt: 'You are terse.\nAlways cite.' },
    })
  ).json().conversation;
  await seedMessage(app, conversation.id, 'user', 'What is 2+2?');
  await seedMessage(app, conversation.id, 'assistant', '**4**');
  await seedMessage(app, conversation.id, 'user', 'And a long story?');
  await seedMessage(app, conversation.id, 'assistant', 'Once upon', 'stopped');
  await seedMessage(app, conversation.id, 'user', 'Again?');
  await seedMessage(app, conversation.id, 'assistant', 'Once', 'pending');
  await seedMessage(app, conversation.id, 'user', 'Last try');
  await seedMessage(app, conversation.id, 'assistant', '', 'error', 'model_unavailable');
  return { app, h, conversation };
}

t.test('JSON export is the conversation and its messages, as a download', async (t) => {
  const { app, h, conversation } = await seeded(t, 'Math & stories');
  const res = await app.inject({ url: `${URL}/${conversation.id}/export`, headers: h });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const filename = `math-stories-${today()}.json`;
  t.equal(res.headers['content-disposition'], `attachment; filename="${filename}"; filename*=UTF-8''${filename}`);
  const doc = JSON.parse(res.body);
  t.same(doc.conversation, conversation);
  t.ok(Date.parse(doc.exportedAt), 'has exportedAt');
  t.same(
    doc.messages.map((m: { role: string; content: string; status: string }) => [m.role, m.content, m.status]),
    [
      ['user', 'What is 2+2?', 'complete'],
      ['assistant', '**4**', 'complete'],
      ['user', 'And a long story?', 'complete'],
      ['assistant', 'Once upon', 'stopped'],
      ['user', 'Again?', 'complete'],
      ['assistant', 'Once', 'interrupted'],
      ['user', 'Last try', 'complete'],
      ['assistant', '', 'error'],
    ],
    'a still-pending answer is exported as interrupted',
  );
  const live = (await app.inject({ url: `${URL}/${conversation.id}`, headers: h })).json().messages;
  t.equal(live[5].status, 'pending', 'while GET shows it as pending, so a reload shows the partial answer');
  t.equal(live[7].errorCode, 'model_unavailable');
  const explicit = await app.inject({ url: `${URL}/${conversation.id}/export?format=json`, headers: h });
  t.same(JSON.parse(explicit.body).messages, doc.messages);
});

t.test('Markdown export has a title, the system prompt, role headings and status notes', async (t) => {
  const { app, h, conversation } = await seeded(t, 'Math & stories');
  const res = await app.inject({ url: `${URL}/${conversation.id}/export?format=markdown`, headers: h });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/markdown; charset=utf-8/);
  t.match(res.headers['content-disposition'], new RegExp(`^attachment; filename="math-stories-${today()}\\.md"`));
  const md = res.body;
  t.match(md, /^# Math & stories\n/);
  t.match(md, /## System prompt\n\n> You are terse\.\n> Always cite\./);
  t.equal(md.match(/^### \*\*User\*\*$/gm)?.length, 4);
  t.equal(md.match(/^### \*\*Assistant\*\*$/gm)?.length, 4);
  t.match(
    md,
    /\*\*User\*\*\n\nWhat is 2\+2\?\n\n---\n\n### \*\*Assistant\*\*\n\n\*\*4\*\*/,
    'messages in order, content verbatim',
  );
  t.match(md, /Once upon\n\n_\(Stopped before the answer was finished\.\)_/);
  t.match(md, /Once\n\n_\(Interrupted: /);
  t.match(md, /_\(Failed: model_unavailable\.\)_/);
});

t.test('filenames are safe whatever the title', async (t) => {
  const app = await buildTestApp(t);
  const h = bearer(await setupAdmin(app));
  const cases = [
    { title: 'Café "crème" ☕', ascii: `cafe-creme-${today()}.md`, utf8: `caf%C3%A9-cr%C3%A8me-${today()}.md` },
    {
      title: '你好世界',
      ascii: `conversation-${today()}.md`,
      utf8: `%E4%BD%A0%E5%A5%BD%E4%B8%96%E7%95%8C-${today()}.md`,
    },
    { title: '../../etc/passwd', ascii: `etc-passwd-${today()}.md`, utf8: `etc-passwd-${today()}.md` },
    { title: '!!!', ascii: `conversation-${today()}.md`, utf8: `conversation-${today()}.md` },
  ];
  for (const c of cases) {
    const { id } = (await app.inject({ method: 'POST', url: URL, headers: h, payload: { title: c.title } })).json()
      .conversation;
    const res = await app.inject({ url: `${URL}/${id}/export?format=markdown`, headers: h });
    t.equal(
      res.headers['content-disposition'],
      `attachment; filename="${c.ascii}"; filename*=UTF-8''${c.utf8}`,
      c.title,
    );
    t.match(res.body, `# ${c.title}`, 'the heading keeps the real title');
  }
});
