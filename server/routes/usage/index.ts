import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authErrors } from '../../../shared/contract/errors.js';
import { MyUsage } from '../../../shared/contract/usage.js';

/** /api/usage: the signed-in user's own usage, against their limits. */
const usageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/', { schema: { response: { 200: MyUsage, ...authErrors } } }, async (request) => {
    const user = request.auth!;
    const [days, limits, tokensToday] = await Promise.all([
      app.usage.days(user.id),
      app.limits.effective(user),
      app.quota.tokensToday(user.id),
    ]);
    const today = days.at(-1)!;
    const midnight = new Date(`${today.day}T00:00:00.000Z`).getTime() + 86_400_000;
    return { today, limits, tokensToday, resetsAt: new Date(midnight).toISOString(), days };
  });
};

export default usageRoutes;
