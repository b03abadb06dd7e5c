import '@/styles/api-keys.css';
import { ApiKeysManager } from '@/features/api-keys/components/api-keys-manager';
import { NarrowPage } from '@/components/layout/narrow-page';

/** The signed-in user's keys for the OpenAI-compatible API under /v1. */
export function ApiKeysPage() {
  return (
    <NarrowPage title="API keys">
      <p className="keys-intro">
        Keys let your own tools use the portal's model through its OpenAI-compatible API at <code>/v1</code>. Each key
        acts as you.
      </p>
      <ApiKeysManager />
    </NarrowPage>
  );
}
