import { useState, type FormEvent } from 'react';
import { Field, FormSubmit, TextField } from '@/components/ui/field';
import type { CreatedApiKey } from '@shared/contract/api-keys';
import { createKey } from '../api/api-keys-api';

const NAME_MAX = 64;
const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'never', label: 'Never' },
] as const;

/** Names a new key and picks its lifetime; the created key (with its secret) goes to `onCreated`. */
export function CreateKeyForm({ onCreated }: { onCreated(key: CreatedApiKey): void }) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<(typeof EXPIRY_CHOICES)[number]['value']>('90');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const issue =
      trimmed.length === 0 || trimmed.length > NAME_MAX ? `Give the key a name of 1–${NAME_MAX} characters.` : null;
    setProblem(issue);
    if (issue) return;
    setBusy(true);
    try {
      const created = await createKey(
        expiry === 'never' ? { name: trimmed } : { name: trimmed, expiresInDays: Number(expiry) },
      );
      setName('');
      onCreated(created);
    } catch {
      // Shown by the API client (e.g. too many keys).
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="key-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Create an API key">
      <TextField
        label="Name"
        value={name}
        maxLength={NAME_MAX}
        placeholder="e.g. editor on my laptop"
        onValue={setName}
        autoComplete="off"
      />
      <Field label="Expires">
        <select className="input" value={expiry} onChange={(e) => setExpiry(e.target.value as typeof expiry)}>
          {EXPIRY_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </Field>
      <FormSubmit label="Create key" busyLabel="Creating…" busy={busy} problem={problem} />
    </form>
  );
}
