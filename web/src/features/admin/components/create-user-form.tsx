import { useState, type FormEvent } from 'react';
import type { UserRole } from '@shared/contract/auth';
import { Field, FormSubmit, TextField } from '@/components/ui/field';
import { notify } from '@/components/ui/notifications/notifications-store';
import { MIN_PASSWORD_CHARS, USERNAME_PATTERN, USERNAME_RULE } from '@shared/contract/limits';
import { createUser } from '../api/admin-api';

const USERNAME = new RegExp(USERNAME_PATTERN);

/** Adds an account; the same rules as the server, checked first to save a round trip. */
export function CreateUserForm({ onCreated }: { onCreated(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<UserRole>('user');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const issue = !USERNAME.test(username)
      ? `Usernames are ${USERNAME_RULE}.`
      : password.length < MIN_PASSWORD_CHARS
        ? `Passwords need at least ${MIN_PASSWORD_CHARS} characters.`
        : null;
    setProblem(issue);
    if (issue) return;
    setBusy(true);
    try {
      await createUser({ username, password, role });
      notify('success', `User ${username} created.`);
      setUsername('');
      setPassword('');
      setRole('user');
      onCreated();
    } catch {
      // Shown by the API client (e.g. the name is taken).
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="create-user" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a user">
      <TextField label="Username" value={username} onValue={setUsername} autoComplete="off" required />
      <TextField
        label="Password"
        type="password"
        value={password}
        onValue={setPassword}
        autoComplete="new-password"
        required
      />
      <Field label="Role" narrow>
        <select className="input" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          <option value="user">User</option>
          <option value="admin">Admin</option>
        </select>
      </Field>
      <FormSubmit label="Add user" busyLabel="Adding…" busy={busy} problem={problem} />
    </form>
  );
}
