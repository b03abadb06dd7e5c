import { useState } from 'react';
import type { ApiKey, CreatedApiKey } from '@shared/contract/api-keys';
import { ConfirmItemDialog } from '@/components/ui/confirm-dialog';
import { Loaded } from '@/components/ui/loaded';
import { usePoll } from '@/lib/use-poll';
import { notify } from '@/components/ui/notifications/notifications-store';
import { listKeys, revokeKey } from '../api/api-keys-api';
import { CreateKeyForm } from './create-key-form';
import { KeySecretDialog } from './key-secret-dialog';
import { KeysTable } from './keys-table';

// "Last used" changes as the keys are used elsewhere; a minute is as fine as the server records it.
const KEYS_POLL_MS = 60_000;

/** The user's own keys: create (the secret shown once), list, revoke. */
export function ApiKeysManager() {
  const keys = usePoll(listKeys, KEYS_POLL_MS);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  return (
    <>
      <section className="card keys-card" aria-labelledby="keys-create-title">
        <h2 id="keys-create-title" className="keys-card-title">
          New key
        </h2>
        <CreateKeyForm
          onCreated={(key) => {
            setCreated(key);
            keys.reload();
          }}
        />
      </section>
      <section className="card keys-card" aria-labelledby="keys-list-title">
        <h2 id="keys-list-title" className="keys-card-title">
          Your keys
        </h2>
        <Loaded poll={keys} loadingLabel="Loading keys…">
          {(data) => <KeysTable keys={data.keys} onRevoke={setRevoking} />}
        </Loaded>
      </section>
      <KeySecretDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmItemDialog
        item={revoking}
        title={`Revoke ${revoking?.name ?? 'this key'}?`}
        confirmLabel="Revoke key"
        onConfirm={async (key) => {
          await revokeKey(key.id);
          notify('success', `Key ${key.name} revoked.`);
          keys.reload();
        }}
        onClose={() => setRevoking(null)}
      >
        <p>Programs using this key stop working at once. This cannot be undone.</p>
      </ConfirmItemDialog>
    </>
  );
}
