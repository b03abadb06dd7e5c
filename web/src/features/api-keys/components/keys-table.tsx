import type { ApiKey } from '@shared/contract/api-keys';
import { Icon } from '@/components/ui/icon';
import { formatWhen } from '@/lib/format';

/** A date in the future or the past, or "never" for a key without expiry. */
const formatExpiry = (iso: string | null) => (iso === null ? 'never' : new Date(iso).toLocaleDateString());

/** The signed-in user's own keys: never the secret, only its visible prefix. */
export function KeysTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke(key: ApiKey): void }) {
  if (keys.length === 0) return <p className="keys-empty">No API keys yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table keys-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td data-label="Name" className="key-name">
                {key.name}
              </td>
              <td data-label="Key">
                <code>{key.prefix}…</code>
              </td>
              <td data-label="Created">{formatWhen(key.createdAt)}</td>
              <td data-label="Last used">{formatWhen(key.lastUsedAt)}</td>
              <td data-label="Expires">{formatExpiry(key.expiresAt)}</td>
              <td data-label="Actions" className="key-actions">
                <button
                  type="button"
                  className="btn btn-ghost btn-sm btn-danger-text"
                  onClick={() => onRevoke(key)}
                  aria-label={`Revoke ${key.name}`}
                >
                  <Icon name="trash" size={15} />
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
