import { Link } from 'react-router-dom';
import type { ConversationSummary, ExportFormat } from '@shared/contract/conversations';
import { formatWhen } from '@/lib/format';
import { Icon } from '@/components/ui/icon';

interface HistoryRowProps {
  conversation: ConversationSummary;
  onRename(): void;
  onExport(format: ExportFormat): void;
  onDelete(): void;
}

export function HistoryRow({ conversation, onRename, onExport, onDelete }: HistoryRowProps) {
  const { id, title, messageCount, updatedAt } = conversation;
  const name = title || 'Untitled';
  return (
    <li className="history-row center-row">
      <div className="history-main">
        <Link to={`/c/${id}`} className="history-title">
          {name}
        </Link>
        <p className="history-meta">
          {messageCount} message{messageCount === 1 ? '' : 's'} · updated{' '}
          <time dateTime={updatedAt}>{formatWhen(updatedAt)}</time>
        </p>
      </div>
      <div className="history-actions">
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRename} aria-label={`Rename “${name}”`}>
          <Icon name="pencil" size={15} />
          <span className="label-wide">Rename</span>
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onExport('json')}
          aria-label={`Export “${name}” as JSON`}
        >
          <Icon name="download" size={15} />
          <span>JSON</span>
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onExport('markdown')}
          aria-label={`Export “${name}” as Markdown`}
        >
          <Icon name="download" size={15} />
          <span>MD</span>
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm btn-danger-text"
          onClick={onDelete}
          aria-label={`Delete “${name}”`}
        >
          <Icon name="trash" size={15} />
          <span className="label-wide">Delete</span>
        </button>
      </div>
    </li>
  );
}
