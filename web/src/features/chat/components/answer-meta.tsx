import { formatRate } from '@/lib/format';
import { cutAtLengthLimit, type ChatItem } from '@/features/chat/stores/chat-store';
import { CopyButton } from '@/components/ui/copy-button';
import { Icon } from '@/components/ui/icon';
import { IconButton } from '@/components/ui/icon-button';

interface AnswerMetaProps {
  item: ChatItem;
  /** Offer Regenerate (only the last answer, when nothing is running). */
  onRegenerate?: () => void;
  /** Offer Continue for an answer cut at the length limit (the last one, when nothing is running). */
  onContinue?: () => void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What sits under a finished answer: how it was made, what went wrong, what can be done. */
export function AnswerMeta({ item, onRegenerate, onContinue }: AnswerMetaProps) {
  if (item.status === 'waiting' || item.status === 'streaming') return null;
  const dropped = item.droppedMessages ?? 0;
  const cutAtLimit = cutAtLengthLimit(item);
  return (
    <div className="answer-meta">
      {item.error && (
        <div className="answer-error" role="alert">
          <Icon name="warning" size={16} />
          <span>{item.error.message}</span>
        </div>
      )}
      {!item.error && item.status === 'interrupted' && (
        <p className="answer-note">This answer was cut off before it finished. Regenerate to get a full one.</p>
      )}
      {item.status === 'pending' && (
        <p className="answer-note">
          This answer is still being written elsewhere. Reload in a moment to see all of it.
        </p>
      )}
      {dropped > 0 && (
        <p className="answer-note" data-testid="context-note">
          <Icon name="info" size={14} /> {plural(dropped, 'older message')} {dropped === 1 ? 'was' : 'were'} left out to
          fit the model’s context.
        </p>
      )}
      <div className="answer-toolbar">
        {item.content && <CopyButton getText={() => item.content} label="Copy answer" />}
        {onRegenerate && (
          <IconButton
            className="icon-btn icon-btn-sm"
            onClick={onRegenerate}
            label="Regenerate answer"
            title="Regenerate"
            icon="refresh"
            iconSize={16}
          />
        )}
        {item.cached && (
          <span
            className="badge badge-accent"
            title="Served from the response cache: the same question was answered before."
          >
            <Icon name="bolt" size={12} /> cached
          </span>
        )}
        {item.status === 'stopped' && <span className="badge">stopped</span>}
        {cutAtLimit && (
          <span
            className="badge"
            title="The answer reached its token budget (maxTokens / MAX_TOKENS) and was cut there."
          >
            cut off at the length limit
          </span>
        )}
        {cutAtLimit && onContinue && (
          <button type="button" className="btn btn-sm" onClick={onContinue} title="Ask the model to go on">
            Continue
          </button>
        )}
        {!item.cached && item.tokensPerSecond !== undefined && item.tokensPerSecond > 0 && (
          <span className="meta-text" title="Generation speed">
            {formatRate(item.tokensPerSecond)}
          </span>
        )}
      </div>
    </div>
  );
}
