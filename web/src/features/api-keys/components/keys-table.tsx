import type { ApiKey } from '@shared/contract/api-keys';
import { DangerButton } from '@/components/ui/danger-button';
import { DataTable } from '@/components/ui/data-table';
import { formatWhen } from '@/lib/format';

/** A date in the future or the past, or "never" for a key without expiry. */
const formatExpiry = (iso: string | null) => (iso === null ? 'never' : new Date(iso).toLocaleDateString());

/** The signed-in user's own keys: never the secret, only its visible prefix. */
export function KeysTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke(key: ApiKey): void }) {
  if (keys.length === 0) return <p className="keys-empty">No API keys yet.</p>;
  return (
    <DataTable className="keys-table" columns={['Name', 'Key', 'Created', 'Last used', 'Expires']} actions>
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
            <DangerButton label="Revoke" ariaLabel={`Revoke ${key.name}`} onClick={() => onRevoke(key)} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
