import { lazy, memo, Suspense } from 'react';
import { ordinal } from '@/lib/format';
import type { ChatItem } from '@/features/chat/stores/chat-store';
import { Icon } from '@/components/ui/icon';
import { AnswerMeta } from './answer-meta';

// Markdown and syntax highlighting are the bulk of the bundle: load them after first paint.
const Markdown = lazy(() => import('./markdown').then((m) => ({ default: m.Markdown })));

function Waiting({ position }: { position?: number }) {
  return (
    <div className="waiting" role="status">
      <span className="typing-dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span>{position ? `${ordinal(position)} in line` : 'Thinking…'}</span>
    </div>
  );
}

interface MessageItemProps {
  item: ChatItem;
  onRegenerate?: () => void;
  onContinue?: () => void;
}

/** One message. User text is shown exactly as typed (plain text); answers are Markdown. */
export const MessageItem = memo(function MessageItem({ item, onRegenerate, onContinue }: MessageItemProps) {
  if (item.role === 'user') {
    return (
      <article className="msg msg-user" aria-label="You said">
        <div className="msg-bubble">{item.content}</div>
      </article>
    );
  }
  const streaming = item.status === 'streaming';
  return (
    <article
      className="msg msg-assistant"
      aria-label="Assistant said"
      aria-busy={streaming || item.status === 'waiting'}
      data-status={item.status}
    >
      <div className="msg-avatar" aria-hidden="true">
        <Icon name="sparkle" size={16} />
      </div>
      <div className="msg-body">
        {item.status === 'waiting' && !item.content && <Waiting position={item.queuePosition} />}
        {item.content && (
          <div className={streaming ? 'msg-content streaming' : 'msg-content'}>
            <Suspense fallback={<p className="plain-text">{item.content}</p>}>
              <Markdown text={item.content} />
            </Suspense>
          </div>
        )}
        {!item.content && !item.error && (item.status === 'complete' || item.status === 'stopped') && (
          <p className="answer-note">
            {item.status === 'stopped' ? 'Stopped before the first word.' : 'The model returned an empty answer.'}
          </p>
        )}
        <AnswerMeta item={item} onRegenerate={onRegenerate} onContinue={onContinue} />
      </div>
    </article>
  );
});
