import { useState, type KeyboardEvent } from 'react';
import { NavLink } from 'react-router-dom';
import type { ConversationSummary } from '@shared/contract/conversations';
import { MAX_TITLE_CHARS } from '@shared/contract/limits';
import { Icon } from '@/components/ui/icon';

interface ConversationLinkProps {
  conversation: ConversationSummary;
  onRename(title: string): Promise<void>;
  onDelete(): void;
}

/** One sidebar entry: opens the chat; rename in place; delete (after a confirmation). */
export function ConversationLink({ conversation, onRename, onDelete }: ConversationLinkProps) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(conversation.title);

  const finish = async (save: boolean) => {
    setEditing(false);
    const next = title.trim();
    if (save && next && next !== conversation.title) {
      try {
        await onRename(next);
        return;
      } catch {
        // The API client reported it; show the old title again.
      }
    }
    setTitle(conversation.title);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') void finish(true);
    if (event.key === 'Escape') void finish(false);
  };

  if (editing) {
    return (
      <li className="conv-item editing">
        <input
          className="conv-rename"
          value={title}
          maxLength={MAX_TITLE_CHARS}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => void finish(true)}
          aria-label="Conversation title"
          autoFocus
        />
      </li>
    );
  }
  return (
    <li className="conv-item">
      <NavLink to={`/c/${conversation.id}`} className="conv-link" title={conversation.title}>
        {conversation.title || 'Untitled'}
      </NavLink>
      <div className="conv-actions">
        <button
          type="button"
          className="icon-btn icon-btn-sm"
          onClick={() => {
            setTitle(conversation.title);
            setEditing(true);
          }}
          aria-label={`Rename “${conversation.title}”`}
          title="Rename"
        >
          <Icon name="pencil" size={15} />
        </button>
        <button
          type="button"
          className="icon-btn icon-btn-sm"
          onClick={onDelete}
          aria-label={`Delete “${conversation.title}”`}
          title="Delete"
        >
          <Icon name="trash" size={15} />
        </button>
      </div>
    </li>
  );
}
