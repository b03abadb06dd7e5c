import { useState } from 'react';
import type { AdminApiKey } from '@shared/contract/api-keys';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DangerButton } from '@/components/ui/danger-button';
import { DataTable } from '@/components/ui/data-table';
import { Loaded } from '@/components/ui/loaded';
import { Panel } from '@/components/ui/panel';
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
    <Panel id="admin-keys" icon="key" title="API keys">
      <Loaded poll={keys} loadingLabel="Loading keys…">
        {(data) =>
          data.keys.length === 0 ? (
            <p className="keys-empty">No user has an API key.</p>
          ) : (
            <DataTable
              className="admin-keys-table"
              columns={['User', 'Name', 'Key', 'Last used', 'Expires', 'Status']}
              actions
            >
              {data.keys.map((k) => (
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
                      <DangerButton
                        label="Revoke"
                        ariaLabel={`Revoke ${k.name} of ${k.username}`}
                        onClick={() => setRevoking(k)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
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
    </Panel>
  );
}
