import { Link } from 'react-router-dom';
import type { ConversationSummary, ExportFormat } from '@shared/contract/conversations';
import { formatWhen } from '@/lib/format';
import { Icon, type IconName } from '@/components/ui/icon';

interface HistoryRowProps {
  conversation: ConversationSummary;
  onRename(): void;
  onExport(format: ExportFormat): void;
  onDelete(): void;
}

interface RowActionProps {
  icon: IconName;
  text: string;
  /** The text is hidden on narrow screens, where the icon says enough. */
  wide?: boolean;
  danger?: boolean;
  label: string;
  onClick(): void;
}

function RowAction({ icon, text, wide = false, danger = false, label, onClick }: RowActionProps) {
  return (
    <button
      type="button"
      className={danger ? 'btn btn-ghost btn-sm btn-danger-text' : 'btn btn-ghost btn-sm'}
      onClick={onClick}
      aria-label={label}
    >
      <Icon name={icon} size={15} />
      <span className={wide ? 'label-wide' : undefined}>{text}</span>
    </button>
  );
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
        <RowAction icon="pencil" text="Rename" wide label={`Rename “${name}”`} onClick={onRename} />
        <RowAction icon="download" text="JSON" label={`Export “${name}” as JSON`} onClick={() => onExport('json')} />
        <RowAction
          icon="download"
          text="MD"
          label={`Export “${name}” as Markdown`}
          onClick={() => onExport('markdown')}
        />
        <RowAction icon="trash" text="Delete" wide danger label={`Delete “${name}”`} onClick={onDelete} />
      </div>
    </li>
  );
}
