import { useEffect } from 'react';
import '@/styles/api-keys.css';
import { ApiKeysManager } from '@/features/api-keys/components/api-keys-manager';
import { PageHeader } from '@/components/ui/page-header';

/** The signed-in user's keys for the OpenAI-compatible API under /v1. */
export function ApiKeysPage() {
  useEffect(() => {
    document.title = 'API keys · PocketLLM';
  }, []);

  return (
    <div className="page page-scroll">
      <PageHeader title="API keys" />
      <div className="page-content narrow">
        <p className="keys-intro">
          Keys let your own tools use the portal's model through its OpenAI-compatible API at <code>/v1</code>. Each key
          acts as you.
        </p>
        <ApiKeysManager />
      </div>
    </div>
  );
}
