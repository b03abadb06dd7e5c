import t from 'tap';
import '../../../web-aliases.js';
import type { ChatItem } from '@/features/chat/stores/chat-store';

const { cutAtLengthLimit, itemFromMessage } = await import('@/features/chat/stores/chat-store');

const answer = (extra: Partial<ChatItem> = {}): ChatItem => ({
  key: 'a1',
  id: 'a1',
  role: 'assistant',
  content: 'The first half of',
  status: 'complete',
  ...extra,
});

t.test('an answer the model ended at its token budget is cut off at the length limit', async (t) => {
  t.ok(cutAtLengthLimit(answer({ finishReason: 'length' })));
  t.notOk(cutAtLengthLimit(answer({ finishReason: 'stop' })), 'not one that ended by itself');
  t.notOk(cutAtLengthLimit(answer({ status: 'stopped', finishReason: 'abort' })), 'not a stopped one');
  t.notOk(cutAtLengthLimit(answer({ status: 'streaming', finishReason: 'length' })), 'not while streaming');
});

t.test('the mark comes back after a reload, from the stored message', async (t) => {
  const stored = {
    id: 'a1',
    role: 'assistant' as const,
    content: 'The first half of',
    status: 'complete' as const,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
  t.ok(cutAtLengthLimit(itemFromMessage({ ...stored, finishReason: 'length' })));
  t.notOk(cutAtLengthLimit(itemFromMessage(stored)));
});
