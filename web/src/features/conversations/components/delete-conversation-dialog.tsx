import type { ConversationSummary } from '@shared/contract/conversations';
import { ConfirmItemDialog } from '@/components/ui/confirm-dialog';

/** Asks before deleting a conversation; `advice` is an extra sentence after the warning. */
export function DeleteConversationDialog({
  conversation,
  advice,
  onConfirm,
  onClose,
}: {
  conversation: ConversationSummary | null;
  advice?: string;
  onConfirm(conversation: ConversationSummary): Promise<void>;
  onClose(): void;
}) {
  return (
    <ConfirmItemDialog
      item={conversation}
      title="Delete this conversation?"
      confirmLabel="Delete"
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>
        “{conversation?.title}” and all its messages will be deleted for good.{advice && ` ${advice}`}
      </p>
    </ConfirmItemDialog>
  );
}
