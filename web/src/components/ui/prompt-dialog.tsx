import { useState, type FormEvent } from 'react';
import { Modal } from './modal';

interface PromptDialogProps {
  open: boolean;
  title: string;
  label: string;
  initialValue?: string;
  confirmLabel: string;
  /** Input type; "password" hides what is typed. Defaults to "text". */
  type?: 'text' | 'password';
  /** Returns a problem to show, or null when the value is acceptable. Defaults to non-empty. */
  validate?: (value: string) => string | null;
  onSubmit(value: string): Promise<void> | void;
  onClose(): void;
}

const nonEmpty = (value: string) => (value.trim() ? null : 'Enter a value.');

/** Asks for one value (a new title, a new password). */
export function PromptDialog(props: PromptDialogProps) {
  return (
    <Modal open={props.open} title={props.title} onClose={props.onClose}>
      {/* Mounted on each opening, so it starts from initialValue every time. */}
      <PromptForm {...props} />
    </Modal>
  );
}

function PromptForm({
  label,
  initialValue = '',
  confirmLabel,
  type = 'text',
  validate = nonEmpty,
  onSubmit,
  onClose,
}: PromptDialogProps) {
  const [value, setValue] = useState(initialValue);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const issue = validate(value);
    setProblem(issue);
    if (issue) return;
    setBusy(true);
    try {
      await onSubmit(value);
      onClose();
    } catch {
      // Reported by the API client; keep the dialog so the user can fix and retry.
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <label className="field">
        <span className="field-label">{label}</span>
        <input
          className="input"
          type={type}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          autoComplete={type === 'password' ? 'new-password' : 'off'}
          aria-invalid={problem ? true : undefined}
        />
      </label>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : confirmLabel}
        </button>
      </div>
    </form>
  );
}
