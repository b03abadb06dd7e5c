import type { CreatedApiKey } from '@shared/contract/api-keys';
import { CopyButton } from '@/components/ui/copy-button';
import { Icon } from '@/components/ui/icon';
import { Modal } from '@/components/ui/modal';

/** Shows a new key's secret, the only time it is ever shown. */
export function KeySecretDialog({ created, onClose }: { created: CreatedApiKey | null; onClose(): void }) {
  return (
    <Modal open={created !== null} title={`API key “${created?.name ?? ''}” created`} onClose={onClose}>
      <p className="notice notice-danger" role="note">
        <Icon name="warning" size={16} /> Copy it now: it will not be shown again. Anyone with this key can use the
        portal's API as you.
      </p>
      <div className="key-secret">
        <code data-testid="api-key-secret">{created?.key}</code>
        <CopyButton getText={() => created?.key ?? ''} label="Copy" showLabel />
      </div>
      <p className="key-hint">
        Use it as <code>Authorization: Bearer …</code> with the base URL <code>{`${window.location.origin}/v1`}</code>.
      </p>
      <div className="modal-actions">
        <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
          Done
        </button>
      </div>
    </Modal>
  );
}
