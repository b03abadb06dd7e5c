import t from 'tap';
import { createWriteBatch } from '../../../server/db/write-batch.js';
import { readTurn, storeTurn, PENDING_ANSWER } from '../../../server/services/chat-turn.js';
import { createConversationService } from '../../../server/services/conversation-service.js';
import { buildTestApp, setupAdmin } from '../../helpers/app.js';

t.test('a turn is stored on top of the history it was read with, or read again', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const userId = (await app.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const writes = createWriteBatch(app.db);

  const first = { content: 'First question' };
  const stored = await storeTurn(writes, userId, first, await readTurn(app.db, userId, first), {
    ...PENDING_ANSWER,
    content: 'First answer',
    status: 'complete',
  });
  const conversationId = stored.conversationId;

  const next = { conversationId, content: 'Second question' };
  const draft = await readTurn(app.db, userId, next);
  t.same(
    draft.messages.map((m) => m.content),
    ['First question', 'First answer', 'Second question'],
    'the history the model would see',
  );

  // Another tab writes to the conversation between the read and the store.
  const other = { conversationId, content: 'Meanwhile' };
  await storeTurn(writes, userId, other, await readTurn(app.db, userId, other), PENDING_ANSWER);
  await t.rejects(
    storeTurn(writes, userId, next, draft, PENDING_ANSWER),
    { name: 'TurnChanged' },
    'a stale draft is refused',
  );
  const messages = await createConversationService(app.db).getWithMessages(userId, conversationId);
  t.equal(messages.messages.length, 4, 'and stored nothing');

  const fresh = await readTurn(app.db, userId, next);
  t.same(
    fresh.messages.map((m) => m.content),
    ['First question', 'First answer', 'Meanwhile', 'Second question'],
    'the pending answer is not shown to the model',
  );
  await storeTurn(writes, userId, next, fresh, PENDING_ANSWER);
  t.equal((await createConversationService(app.db).getWithMessages(userId, conversationId)).messages.length, 6);

  await t.rejects(
    readTurn(app.db, 'someone-else', next),
    { code: 'not_found' },
    "another user's conversation is not found",
  );
});
