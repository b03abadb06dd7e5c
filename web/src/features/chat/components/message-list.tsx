import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ChatItem } from '@/features/chat/stores/chat-store';
import { Icon } from '@/components/ui/icon';
import { MessageItem } from './message-item';

interface MessageListProps {
  items: ChatItem[];
  systemPrompt: string | null;
  busy: boolean;
  onRegenerate(): void;
  onContinue(): void;
}

/** Within this many pixels of the end, new tokens keep the view pinned to the bottom. */
const STICK_PX = 80;

export function MessageList({ items, systemPrompt, busy, onRegenerate, onContinue }: MessageListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const count = items.length;

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const nearEnd = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    stick.current = nearEnd;
    setShowJump(!nearEnd);
  }, []);

  const jump = useCallback((smooth: boolean) => {
    const el = ref.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
    stick.current = true;
  }, []);

  // A new message (the user's own, or a fresh conversation) always scrolls to the end.
  useEffect(() => jump(false), [count, jump]);
  useLayoutEffect(() => {
    if (stick.current) jump(false);
  });

  const last = items.at(-1);
  return (
    <div className="message-scroll" ref={ref} onScroll={onScroll}>
      <div className="message-list" role="log" aria-label="Messages" aria-live="polite" aria-busy={busy}>
        {systemPrompt && (
          <details className="system-note">
            <summary>System prompt</summary>
            <p>{systemPrompt}</p>
          </details>
        )}
        {items.map((item) => (
          <MessageItem
            key={item.key}
            item={item}
            onRegenerate={item === last && item.role === 'assistant' && !busy ? onRegenerate : undefined}
            onContinue={item === last && item.role === 'assistant' && !busy ? onContinue : undefined}
          />
        ))}
      </div>
      {showJump && (
        <button type="button" className="jump-btn" onClick={() => jump(true)} aria-label="Scroll to the latest message">
          <Icon name="chevronDown" />
        </button>
      )}
    </div>
  );
}
