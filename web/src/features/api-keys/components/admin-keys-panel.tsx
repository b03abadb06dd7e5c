import { useState } from 'react';
import type { AdminApiKey } from '@shared/contract/api-keys';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Icon } from '@/components/ui/icon';
import { LoadingBlock } from '@/components/ui/spinner';
import { formatWhen } from '@/lib/format';
import { usePoll } from '@/lib/use-poll';
import { notify } from '@/components/ui/notifications/notifications-store';
import { listAllKeys, revokeAnyKey } from '../api/api-keys-api';

const KEYS_POLL_MS = 60_000;

/** Read when a row renders; the list polls, so a key that expires meanwhile shows it soon. */
const hasExpired = (iso: string | null): boolean => iso !== null && Date.parse(iso) <= Date.now();

function KeyStatus({ apiKey }: { apiKey: AdminApiKey }) {
  if (apiKey.revoked) return <span className="badge badge-danger">Revoked</span>;
  if (hasExpired(apiKey.expiresAt)) return <span className="badge">Expired</span>;
  return <span className="badge badge-ok">Active</span>;
}

/** Every user's API keys, for an admin to see and revoke. Marked up as the admin page's other panels. */
export function AdminKeysPanel({ onChanged }: { onChanged(): void }) {
  const keys = usePoll(listAllKeys, KEYS_POLL_MS);
  const [revoking, setRevoking] = useState<AdminApiKey | null>(null);

  return (
    <section className="card panel" aria-labelledby="admin-keys-title">
      <div className="panel-head">
        <h2 id="admin-keys-title" className="panel-title">
          <Icon name="key" size={18} /> API keys
        </h2>
      </div>
      {!keys.data ? (
        keys.error ? (
          <p className="panel-error">{keys.error.message}</p>
        ) : (
          <LoadingBlock label="Loading keys…" />
        )
      ) : keys.data.keys.length === 0 ? (
        <p className="keys-empty">No user has an API key.</p>
      ) : (
        <div className="table-wrap">
          <table className="table admin-keys-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((k) => (
                <tr key={k.id}>
                  <td data-label="User">{k.username}</td>
                  <td data-label="Name">{k.name}</td>
                  <td data-label="Key">
                    <code>{k.prefix}…</code>
                  </td>
                  <td data-label="Last used">{formatWhen(k.lastUsedAt)}</td>
                  <td data-label="Expires">
                    {k.expiresAt === null ? 'never' : new Date(k.expiresAt).toLocaleDateString()}
                  </td>
                  <td data-label="Status">
                    <KeyStatus apiKey={k} />
                  </td>
                  <td data-label="Actions" className="row-actions">
                    {!k.revoked && (
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm btn-danger-text"
                        onClick={() => setRevoking(k)}
                        aria-label={`Revoke ${k.name} of ${k.username}`}
                      >
                        <Icon name="trash" size={15} />
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke ${revoking?.name ?? 'this key'} of ${revoking?.username ?? 'this user'}?`}
        confirmLabel="Revoke key"
        onConfirm={async () => {
          if (!revoking) return;
          await revokeAnyKey(revoking.id);
          notify('success', `Key ${revoking.name} of ${revoking.username} revoked.`);
          keys.reload();
          onChanged();
        }}
        onClose={() => setRevoking(null)}
      >
        <p>Programs using this key stop working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
