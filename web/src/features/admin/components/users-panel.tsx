import { useState } from 'react';
import type { AdminUser, UserPatchBody } from '@shared/contract/admin';
import { MIN_PASSWORD_CHARS } from '@shared/contract/limits';
import { usePoll } from '@/lib/use-poll';
import { ConfirmItemDialog } from '@/components/ui/confirm-dialog';
import { PromptDialog } from '@/components/ui/prompt-dialog';
import { Panel } from '@/components/ui/panel';
import { DataTable } from '@/components/ui/data-table';
import { Loaded } from '@/components/ui/loaded';
import { notify } from '@/components/ui/notifications/notifications-store';
import { deleteUser, listUsers, updateUser } from '../api/admin-api';
import { CreateUserForm } from './create-user-form';
import { UserRow } from './user-row';

const USERS_POLL_MS = 60_000;

/** Accounts: create, change role, disable, reset password, delete. `currentUserId` marks the admin's own row. */
export function UsersPanel({ currentUserId, onChanged }: { currentUserId: string | undefined; onChanged(): void }) {
  const users = usePoll(listUsers, USERS_POLL_MS);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);

  const changed = () => {
    users.reload();
    onChanged();
  };
  const change = (user: AdminUser, patch: UserPatchBody) =>
    void updateUser(user.id, patch)
      .then(() => {
        notify('success', `${user.username} updated.`);
        changed();
      })
      .catch(() => undefined);

  return (
    <Panel id="users" icon="user" title="Users">
      <CreateUserForm onCreated={changed} />
      <Loaded poll={users} loadingLabel="Loading users…">
        {(data) => (
          <DataTable className="users-table" columns={['User', 'Role', 'Status', 'API access', 'Last sign-in']} actions>
            {data.users.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                isSelf={u.id === currentUserId}
                onChange={(patch) => change(u, patch)}
                onResetPassword={() => setResetting(u)}
                onDelete={() => setDeleting(u)}
              />
            ))}
          </DataTable>
        )}
      </Loaded>
      <PromptDialog
        open={resetting !== null}
        title={`New password for ${resetting?.username ?? ''}`}
        label={`New password (at least ${MIN_PASSWORD_CHARS} characters)`}
        type="password"
        confirmLabel="Set password"
        validate={(v) =>
          v.length >= MIN_PASSWORD_CHARS ? null : `Passwords need at least ${MIN_PASSWORD_CHARS} characters.`
        }
        onSubmit={async (password) => {
          if (!resetting) return;
          await updateUser(resetting.id, { password });
          notify('success', `Password of ${resetting.username} changed.`);
          changed();
        }}
        onClose={() => setResetting(null)}
      />
      <ConfirmItemDialog
        item={deleting}
        title={`Delete ${deleting?.username ?? 'this user'}?`}
        confirmLabel="Delete user"
        onConfirm={async (user) => {
          await deleteUser(user.id);
          notify('success', `${user.username} deleted.`);
          changed();
        }}
        onClose={() => setDeleting(null)}
      >
        <p>The account and all of its conversations will be deleted. This cannot be undone.</p>
      </ConfirmItemDialog>
    </Panel>
  );
}
