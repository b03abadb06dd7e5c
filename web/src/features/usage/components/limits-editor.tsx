import { useState } from 'react';
import { LIMIT_FIELDS, type LimitsOverride, type LimitsTable } from '@shared/contract/usage';
import { notify } from '@/components/ui/notifications/notifications-store';
import { deleteUserLimits, setRoleLimits, setUserLimits } from '../api/usage-api';
import { FIELD_LABELS, LimitRow } from './limit-row';

export interface LimitsUser {
  id: string;
  username: string;
}

const ROLES = ['user', 'admin'] as const;
const INHERIT_ALL: LimitsOverride = {};

/**
 * Role defaults and per-user overrides. `users` names the accounts (the page has them);
 * `onChanged` reloads the table after a save.
 */
export function LimitsEditor({
  table,
  users,
  onChanged,
}: {
  table: LimitsTable;
  users: LimitsUser[];
  onChanged(): void;
}) {
  const [adding, setAdding] = useState<string[]>([]);
  const [pick, setPick] = useState('');
  const nameOf = (id: string) => users.find((u) => u.id === id)?.username ?? id;
  const overridden = [...Object.keys(table.users), ...adding.filter((id) => !(id in table.users))];
  const addable = users.filter((u) => !overridden.includes(u.id));

  const saved = (what: string) => {
    notify('success', `Limits of ${what} saved.`);
    onChanged();
  };
  const remove = (id: string) => {
    setAdding((a) => a.filter((x) => x !== id));
    if (!(id in table.users)) return;
    void deleteUserLimits(id)
      .then(() => saved(nameOf(id)))
      .catch(() => undefined);
  };

  return (
    <div className="limits-editor">
      <div className="limits-grid limits-head" aria-hidden="true">
        <span />
        {LIMIT_FIELDS.map((f) => (
          <span key={f}>{FIELD_LABELS[f]}</span>
        ))}
        <span />
      </div>
      {ROLES.map((role) => (
        <LimitRow
          key={`role-${role}-${JSON.stringify(table.roles[role])}`}
          label={`every ${role}`}
          limits={table.roles[role]}
          canInherit={false}
          onSave={(limits) =>
            setRoleLimits(role, { ...table.roles[role], ...limits }).then(() => saved(`the ${role} role`))
          }
        />
      ))}
      {overridden.map((id) => (
        <LimitRow
          key={`user-${id}-${JSON.stringify(table.users[id] ?? INHERIT_ALL)}`}
          label={nameOf(id)}
          limits={table.users[id] ?? INHERIT_ALL}
          canInherit
          onSave={(limits) =>
            setUserLimits(id, limits).then(() => {
              setAdding((a) => a.filter((x) => x !== id));
              saved(nameOf(id));
            })
          }
          onDelete={() => remove(id)}
        />
      ))}
      {addable.length > 0 && (
        <div className="limits-add">
          <select
            className="input input-sm"
            aria-label="User to give their own limits"
            value={pick}
            onChange={(e) => setPick(e.target.value)}
          >
            <option value="">Choose a user…</option>
            {addable.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={!pick}
            onClick={() => {
              setAdding((a) => [...a, pick]);
              setPick('');
            }}
          >
            Add override
          </button>
        </div>
      )}
    </div>
  );
}
