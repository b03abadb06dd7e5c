import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { insertMessage } from '../../../../server/db/repositories/messages.js';
import { bearer, buildTestApp, setupAdmin } from '../../../helpers/app.js';

const URL = '/api/conversations';
interface Summary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

async function seedMessage(app: FastifyInstance, conversationId: string, content: string) {
  await insertMessage(app.db, {
    id: randomUUID(),
    conversation_id: conversationId,
    role: 'user',
    content,
    status: 'complete',
    cached: 0,
    prompt_tokens: null,
    completion_tokens: null,
    ttft_ms: null,
    total_ms: null,
    tokens_per_second: null,
    error_code: null,
    created_at: new Date().toISOString(),
  });
}

async function create(app: FastifyInstance, token: string, title?: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: URL,
    headers: bearer(token),
    payload: title === undefined ? {} : { title },
  });
  return res.json().conversation.id;
}

async function list(
  app: FastifyInstance,
  token: string,
  query = '',
): Promise<{ conversations: Summary[]; nextCursor: string | null }> {
  const res = await app.inject({ url: `${URL}${query}`, headers: bearer(token) });
  if (res.statusCode !== 200) throw new Error(`list failed: ${res.body}`);
  return res.json();
}

t.test('newest first by last activity, with message counts', async (t) => {
  const app = await buildTestApp(t);
  const token = await setupAdmin(app);
  t.same(await list(app, token), { conversations: [], nextCursor: null });
  const [a, b, c] = [await create(app, token, 'A'), await create(app, token, 'B'), await create(app, token, 'C')];
  t.same(
    (await list(app, token)).conversations.map((s) => s.title),
    ['C', 'B', 'A'],
  );

  await seedMessage(app, a, 'one');
  await seedMessage(app, a, 'two');
  await app.inject({ method: 'PATCH', url: `${URL}/${b}`, headers: bearer(token), payload: { title: 'B2' } });
  const page = (await list(app, token)).conversations;
  t.same(
    page.map((s) => s.id),
    [b, c, a],
    'an edit moves a conversation to the top',
  );
  t.same(
    Object.keys(page[0]!).sort(),
    ['createdAt', 'id', 'messageCount', 'title', 'updatedAt'],
    'exactly the contract fields',
  );
  t.same(
    page.map((s) => s.messageCount),
    [0, 0, 2],
  );
});

t.test('cursor pagination walks every conversation once, also across equal timestamps', async (t) => {
  const app = await buildTestApp(t);
  const token = await setupAdmin(app);
  const ids: string[] = [];
  for (let i = 0; i < 23; i++) ids.push(await create(app, token, `chat ${i}`));
  // Three rows share one instant, as rows written by another process could: the id breaks the tie.
  await app.db
    .updateTable('conversations')
    .set({ updated_at: '2020-01-01T00:00:00.000Z' })
    .where('id', 'in', ids.slice(5, 8))
    .execute();
  const expected = (await list(app, token, '?limit=100')).conversations.map((s) => s.id);
  t.equal(expected.length, 23);

  const seen: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: { conversations: Summary[]; nextCursor: string | null } = await list(
      app,
      token,
      `?limit=5${cursor ? `&cursor=${cursor}` : ''}`,
    );
    pageSizes.push(page.conversations.length);
    seen.push(...page.conversations.map((s) => s.id));
    cursor = page.nextCursor;
  } while (cursor);
  t.same(pageSizes, [5, 5, 5, 5, 3]);
  t.same(seen, expected, 'no repeats, no gaps, same order as one big page');
  t.same(new Set(seen).size, 23);

  const exact = await list(app, token, '?limit=23');
  t.equal(exact.nextCursor, null, 'no next page when the last one is exactly full');
  t.equal((await list(app, token)).conversations.length, 20, 'limit defaults to 20');
});

t.test('a bad cursor is a 400, not an empty page', async (t) => {
  const app = await buildTestApp(t);
  const token = await setupAdmin(app);
  const cursors = [
    'garbage',
    Buffer.from('not json').toString('base64url'),
    Buffer.from('["not a date","x"]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
    'a+b/c=',
  ];
  for (const cursor of cursors) {
    const res = await app.inject({ url: `${URL}?cursor=${encodeURIComponent(cursor)}`, headers: bearer(token) });
    t.equal(res.statusCode, 400, cursor);
    t.equal(res.json().error.code, 'bad_request');
  }
});

t.test('q searches titles and message text, case-insensitively, with % and _ literal', async (t) => {
  const app = await buildTestApp(t);
  const token = await setupAdmin(app);
  const byTitle = await create(app, token, 'Paris Trip');
  const byMessage = await create(app, token, 'Untitled');
  await seedMessage(app, byMessage, 'What should I see in PARIS in spring?');
  const percent = await create(app, token, 'Growth of 100% in a year');
  const underscore = await create(app, token, 'snake_case names');
  const decoys = [await create(app, token, 'Growth of 1000 in a year'), await create(app, token, 'snakeXcase names')];
  await seedMessage(app, decoys[0]!, 'nothing about that city');

  const search = async (q: string) =>
    (await list(app, token, `?q=${encodeURIComponent(q)}`)).conversations.map((s) => s.id).sort();
  t.same(await search('paris'), [byTitle, byMessage].sort(), 'title or message, any case');
  t.same(await search('PaRiS tRiP'), [byTitle]);
  t.same(await search('100%'), [percent], '% is a literal percent sign');
  t.same(await search('%'), [percent]);
  t.same(await search('e_c'), [underscore], '_ is a literal underscore');
  t.same(await search('\\'), [], 'a backslash matches nothing and breaks nothing');
  t.same(await search('no such words'), []);
  t.equal((await search('')).length, 6, 'an empty q lists everything');

  const paged = await list(app, token, '?q=paris&limit=1');
  t.equal(paged.conversations.length, 1);
  t.ok(paged.nextCursor, 'search results page too');
  const rest = await list(app, token, `?q=paris&limit=1&cursor=${paged.nextCursor}`);
  t.same([paged.conversations[0]!.id, rest.conversations[0]!.id].sort(), [byTitle, byMessage].sort());
  t.equal(rest.nextCursor, null);
});
