import { useEffect, useMemo, useState } from 'react';
import { useMatch, useNavigate } from 'react-router-dom';
import type { ConversationSummary } from '@shared/contract/conversations';
import { useConversations } from '@/features/conversations/stores/conversations-store';
import { deleteConversation, refreshConversationList, renameConversation } from '../api/conversations-api';
import { ConversationLink } from './conversation-link';
import { DeleteConversationDialog } from './delete-conversation-dialog';

const DAY_MS = 86_400_000;

/** Today / Yesterday / Previous 7 days / Older, like the chat apps people know. */
function groupByAge(items: ConversationSummary[], now = new Date()): Array<[string, ConversationSummary[]]> {
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const groups = new Map<string, ConversationSummary[]>();
  for (const item of items) {
    const t = Date.parse(item.updatedAt);
    const label =
      t >= startOfToday
        ? 'Today'
        : t >= startOfToday - DAY_MS
          ? 'Yesterday'
          : t >= startOfToday - 7 * DAY_MS
            ? 'Previous 7 days'
            : 'Older';
    groups.set(label, [...(groups.get(label) ?? []), item]);
  }
  return [...groups];
}

/** The recent conversations in the sidebar. */
export function ConversationSidebar() {
  const items = useConversations((s) => s.items);
  const loaded = useConversations((s) => s.loaded);
  const staleAt = useConversations((s) => s.staleAt);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const active = useMatch('/c/:conversationId')?.params.conversationId;
  const navigate = useNavigate();

  useEffect(() => {
    refreshConversationList().catch(() => undefined);
  }, [staleAt]);

  const groups = useMemo(() => groupByAge(items), [items]);

  const confirmDelete = async (conversation: ConversationSummary) => {
    await deleteConversation(conversation.id);
    if (conversation.id === active) navigate('/');
  };

  return (
    <nav className="conv-nav" aria-label="Recent conversations">
      {loaded && items.length === 0 && <p className="conv-empty">No conversations yet. Say hello!</p>}
      {groups.map(([label, group]) => (
        <section key={label} className="conv-group">
          <h2 className="conv-group-title">{label}</h2>
          <ul>
            {group.map((c) => (
              <ConversationLink
                key={c.id}
                conversation={c}
                onRename={(title) => renameConversation(c.id, title)}
                onDelete={() => setDeleting(c)}
              />
            ))}
          </ul>
        </section>
      ))}
      <DeleteConversationDialog conversation={deleting} onConfirm={confirmDelete} onClose={() => setDeleting(null)} />
    </nav>
  );
}
