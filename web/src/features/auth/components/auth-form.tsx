import { useState, type FormEvent } from 'react';
import { TextField } from '@/components/ui/field';
import { ApiError } from '@/lib/api-client';
import { friendlyMessage } from '@/lib/error-messages';
import { MIN_PASSWORD_CHARS, USERNAME_PATTERN, USERNAME_RULE } from '@shared/contract/limits';
import { login, runSetup } from '../api/auth-api';

const USERNAME = new RegExp(USERNAME_PATTERN);

interface AuthFormProps {
  /** "setup" creates the first admin account; "login" signs in. */
  mode: 'login' | 'setup';
  onDone(): void;
}

function check(mode: AuthFormProps['mode'], username: string, password: string, confirm: string): string | null {
  if (mode === 'login') return username && password ? null : 'Enter your username and password.';
  if (!USERNAME.test(username)) return `Choose a username of ${USERNAME_RULE}.`;
  if (password.length < MIN_PASSWORD_CHARS) return `Choose a password of at least ${MIN_PASSWORD_CHARS} characters.`;
  if (password !== confirm) return 'The two passwords differ. Type the same password twice.';
  return null;
}

/** Sign-in, or first-run creation of the admin account. */
export function AuthForm({ mode, onDone }: AuthFormProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = check(mode, username.trim(), password, confirm);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      const credentials = { username: username.trim(), password };
      await (mode === 'setup' ? runSetup(credentials) : login(credentials));
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : friendlyMessage('internal'));
      setBusy(false);
    }
  };

  const setup = mode === 'setup';
  return (
    <form className="auth-form" onSubmit={(e) => void submit(e)} noValidate>
      <TextField
        label="Username"
        name="username"
        value={username}
        onValue={setUsername}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        value={password}
        onValue={setPassword}
        autoComplete={setup ? 'new-password' : 'current-password'}
        required
      />
      {setup && (
        <TextField
          label="Confirm password"
          name="confirm"
          type="password"
          value={confirm}
          onValue={setConfirm}
          autoComplete="new-password"
          required
        />
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? (setup ? 'Creating account…' : 'Signing in…') : setup ? 'Create admin account' : 'Sign in'}
      </button>
    </form>
  );
}
