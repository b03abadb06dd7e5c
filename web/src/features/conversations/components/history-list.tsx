import { useEffect, useState } from 'react';
import type { ConversationSummary, ExportFormat } from '@shared/contract/conversations';
import { PromptDialog } from '@/components/ui/prompt-dialog';
import { LoadingBlock } from '@/components/ui/spinner';
import { Icon } from '@/components/ui/icon';
import { notify } from '@/components/ui/notifications/notifications-store';
import {
  deleteConversation,
  exportConversation,
  listConversations,
  renameConversation,
} from '../api/conversations-api';
import { DeleteConversationDialog } from './delete-conversation-dialog';
import { HistoryRow } from './history-row';

const PAGE_SIZE = 20;

/** Search results (or all conversations) with rename, export and delete. */
export function HistoryList({ query }: { query: string }) {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  // The query the list on screen answers; while it differs from `query`, a search is running.
  const [shownQuery, setShownQuery] = useState<string | null>(null);
  const loading = shownQuery !== query;
  const [renaming, setRenaming] = useState<ConversationSummary | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listConversations({ q: query || undefined, limit: PAGE_SIZE }, controller.signal)
      .then((page) => {
        setItems(page.conversations);
        setCursor(page.nextCursor);
      })
      .catch(() => controller.signal.aborted || setItems([]))
      .finally(() => controller.signal.aborted || setShownQuery(query));
    return () => controller.abort();
  }, [query]);

  const loadMore = async () => {
    if (!cursor) return;
    const page = await listConversations({ q: query || undefined, limit: PAGE_SIZE, cursor });
    setItems((prev) => [...prev, ...page.conversations]);
    setCursor(page.nextCursor);
  };

  const rename = async (title: string) => {
    if (!renaming) return;
    await renameConversation(renaming.id, title.trim());
    setItems((prev) => prev.map((c) => (c.id === renaming.id ? { ...c, title: title.trim() } : c)));
  };
  const remove = async (conversation: ConversationSummary) => {
    await deleteConversation(conversation.id);
    setItems((prev) => prev.filter((c) => c.id !== conversation.id));
    notify('success', 'Conversation deleted.');
  };
  const download = (c: ConversationSummary, format: ExportFormat) =>
    void exportConversation(c.id, format).catch(() => undefined);

  if (loading) return <LoadingBlock label="Loading conversations…" />;
  return (
    <>
      {items.length === 0 ? (
        <div className="empty-state">
          <Icon name={query ? 'search' : 'history'} size={28} />
          <h2>{query ? `Nothing matches “${query}”` : 'No conversations yet'}</h2>
          <p>
            {query
              ? 'Try other words: titles and message text are searched.'
              : 'Start a chat and it will show up here.'}
          </p>
        </div>
      ) : (
        <ul className="history-list" aria-label={query ? `Conversations matching ${query}` : 'All conversations'}>
          {items.map((c) => (
            <HistoryRow
              key={c.id}
              conversation={c}
              onRename={() => setRenaming(c)}
              onExport={(f) => download(c, f)}
              onDelete={() => setDeleting(c)}
            />
          ))}
        </ul>
      )}
      {cursor && (
        <button
          type="button"
          className="btn btn-secondary load-more"
          onClick={() => void loadMore().catch(() => undefined)}
        >
          Load more
        </button>
      )}
      <PromptDialog
        open={renaming !== null}
        title="Rename conversation"
        label="Title"
        initialValue={renaming?.title ?? ''}
        confirmLabel="Save"
        onSubmit={rename}
        onClose={() => setRenaming(null)}
      />
      <DeleteConversationDialog
        conversation={deleting}
        advice="Export it first if you want a copy."
        onConfirm={remove}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
