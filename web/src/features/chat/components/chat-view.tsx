import { useCallback } from 'react';
import { selectBusy, useChat } from '@/features/chat/stores/chat-store';
import { LoadingBlock } from '@/components/ui/spinner';
import { Icon } from '@/components/ui/icon';
import { continueAnswer, regenerate, sendMessage, stopAnswer } from '../api/chat-actions';
import { ChatEmpty } from './chat-empty';
import { Composer } from './composer';
import { ConnectionBanner } from './connection-banner';
import { MessageList } from './message-list';

/** The conversation on screen and the composer under it. */
export function ChatView() {
  const items = useChat((s) => s.items);
  const loading = useChat((s) => s.loading);
  const loadError = useChat((s) => s.loadError);
  const connection = useChat((s) => s.connection);
  const systemPrompt = useChat((s) => s.conversation?.systemPrompt ?? null);
  const busy = useChat(selectBusy);
  const runningId = items.find((i) => (i.status === 'waiting' || i.status === 'streaming') && i.requestId)?.requestId;

  const onStop = useCallback(() => {
    if (runningId) stopAnswer(runningId);
  }, [runningId]);
  const onRegenerate = useCallback(() => regenerate(), []);
  const onContinue = useCallback(() => continueAnswer(), []);

  let body;
  if (loadError) {
    body = (
      <div className="empty-state" role="alert">
        <Icon name="warning" size={28} />
        <h2>This conversation could not be opened</h2>
        <p>{loadError.message}</p>
      </div>
    );
  } else if (loading) body = <LoadingBlock label="Loading conversation…" />;
  else if (items.length === 0) body = <ChatEmpty />;
  else
    body = (
      <MessageList
        items={items}
        systemPrompt={systemPrompt}
        busy={busy}
        onRegenerate={onRegenerate}
        onContinue={onContinue}
      />
    );

  return (
    <div className="chat">
      {body}
      <div className="chat-footer">
        <ConnectionBanner state={connection} />
        {!loadError && <Composer busy={busy} onSend={sendMessage} onStop={onStop} />}
      </div>
    </div>
  );
}
