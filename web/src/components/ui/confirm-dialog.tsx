import { useState, type ReactNode } from 'react';
import { Modal } from './modal';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Styles the confirm button as destructive. Defaults to true. */
  danger?: boolean;
  onConfirm(): Promise<void> | void;
  onClose(): void;
}

/** Asks before doing something that cannot be undone; stays open (and busy) while it runs. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = true,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onClose();
    } catch {
      // The API client already told the user what went wrong; keep the dialog for a retry.
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={title} onClose={onClose}>
      <div className="modal-text">{children}</div>
      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'btn btn-danger' : 'btn btn-primary'}
          onClick={() => void confirm()}
          disabled={busy}
          autoFocus
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

/** A ConfirmDialog about one item: open while `item` is set, and confirming acts on that item. */
export function ConfirmItemDialog<T>({
  item,
  onConfirm,
  ...dialog
}: Omit<ConfirmDialogProps, 'open' | 'onConfirm'> & { item: T | null; onConfirm(item: T): Promise<void> | void }) {
  return (
    <ConfirmDialog
      {...dialog}
      open={item !== null}
      onConfirm={async () => {
        if (item !== null) await onConfirm(item);
      }}
    />
  );
}
