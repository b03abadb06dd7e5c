import type { AdminUser, UserPatchBody } from '@shared/contract/admin';
import type { UserRole } from '@shared/contract/auth';
import { formatWhen } from '@/lib/format';
import { DangerButton } from '@/components/ui/danger-button';
import { Icon } from '@/components/ui/icon';

interface UserRowProps {
  user: AdminUser;
  isSelf: boolean;
  onChange(patch: UserPatchBody): void;
  onResetPassword(): void;
  onDelete(): void;
}

/** One account. An admin cannot demote, disable or delete themselves from here. */
export function UserRow({ user, isSelf, onChange, onResetPassword, onDelete }: UserRowProps) {
  return (
    <tr className={user.disabled ? 'is-disabled' : undefined}>
      <td data-label="User">
        <span className="user-name">{user.username}</span>
        {isSelf && <span className="badge">you</span>}
      </td>
      <td data-label="Role">
        <select
          className="input input-sm"
          value={user.role}
          disabled={isSelf}
          onChange={(e) => onChange({ role: e.target.value as UserRole })}
          aria-label={`Role of ${user.username}`}
        >
          <option value="user">User</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td data-label="Status">
        <span className={user.disabled ? 'badge badge-danger' : 'badge badge-ok'}>
          {user.disabled ? 'Disabled' : 'Active'}
        </span>
      </td>
      <td data-label="API access">
        <label className="api-access-toggle">
          <input type="checkbox" checked={user.apiAccess} onChange={(e) => onChange({ apiAccess: e.target.checked })} />
          <span className="visually-hidden">API access of {user.username}</span>
          <span aria-hidden="true">{user.apiAccess ? 'On' : 'Off'}</span>
        </label>
      </td>
      <td data-label="Last sign-in">{formatWhen(user.lastLoginAt)}</td>
      <td data-label="Actions" className="row-actions">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onChange({ disabled: !user.disabled })}
          disabled={isSelf}
        >
          <Icon name={user.disabled ? 'check' : 'ban'} size={15} />
          {user.disabled ? 'Enable' : 'Disable'}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={onResetPassword}
          aria-label={`Reset password of ${user.username}`}
        >
          <Icon name="key" size={15} />
          Password
        </button>
        <DangerButton label="Delete" ariaLabel={`Delete ${user.username}`} onClick={onDelete} disabled={isSelf} />
      </td>
    </tr>
  );
}
