import type { InputHTMLAttributes, ReactNode } from 'react';

/** A form control with its visible label above it; the label wraps the control, so no ids are needed. */
export function Field({ label, narrow = false, children }: { label: string; narrow?: boolean; children: ReactNode }) {
  return (
    <label className={narrow ? 'field field-narrow' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
    </label>
  );
}

/** Why a form was not sent, across the whole form's grid; nothing when there is no problem. */
export function FormProblem({ problem }: { problem: string | null }) {
  if (!problem) return null;
  return (
    <p className="field-error form-wide" role="alert">
      {problem}
    </p>
  );
}

/** A labelled text input that hands its value (not the event) to `onValue`. */
export function TextField({
  label,
  onValue,
  ...input
}: { label: string; onValue(value: string): void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'>) {
  return (
    <Field label={label}>
      <input className="input" {...input} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}

/** A form's submit button, which shows `busyLabel` while the form is being sent, then why it failed if it did. */
export function FormSubmit({
  label,
  busyLabel,
  busy,
  problem,
}: {
  label: string;
  busyLabel: string;
  busy: boolean;
  problem: string | null;
}) {
  return (
    <>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      <FormProblem problem={problem} />
    </>
  );
}
