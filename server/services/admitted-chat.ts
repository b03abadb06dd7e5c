import type { ChatRequest } from './chat-service.js';
import type { QuotaService, QuotaUser } from './quota-service.js';

/**
 * Runs one chat request under its user's limits: admitted before anything is queued or stored
 * (throws QuotaRefused otherwise), its answer length clamped to the user's ceiling, and its
 * concurrency slot held until the answer ends, whether queued, running, stopped or failed.
 */
export async function runAdmitted(
  quota: QuotaService,
  user: QuotaUser,
  request: ChatRequest,
  run: (request: ChatRequest) => Promise<void>,
): Promise<void> {
  const admission = await quota.admit(user);
  try {
    const maxTokens = admission.clampMaxTokens(request.options?.maxTokens);
    await run(maxTokens === undefined ? request : { ...request, options: { ...request.options, maxTokens } });
  } finally {
    admission.release();
  }
}
