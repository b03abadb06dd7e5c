/**
 * Phase 5: the conversation list under autocannon (N connections, a fixed time), for a user
 * who owns a set number of conversations. GET /healthz under the same load is the baseline:
 * Fastify's floor on this machine, with no auth and no database.
 */
import autocannon from 'autocannon';
import { api } from './http.js';
import type { BenchPlan } from './plan.js';

export interface RouteLoad {
  route: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  /** Non-2xx answers, errors and timeouts: any makes the figure suspect. */
  failures: number;
}

export interface RestResult {
  connections: number;
  ownedConversations: number;
  conversations: RouteLoad;
  healthz: RouteLoad;
}

export async function runRest(plan: BenchPlan, baseUrl: string, token: string): Promise<RestResult> {
  for (let i = 0; i < plan.restConversations; i++) {
    await api(baseUrl, 'POST', '/api/conversations', { token, body: { title: `Bench conversation ${i + 1}` } });
  }
  const conversations = await load(plan, `${baseUrl}/api/conversations`, { authorization: `Bearer ${token}` });
  const healthz = await load(plan, `${baseUrl}/healthz`, {});
  return { connections: plan.restConnections, ownedConversations: plan.restConversations, conversations, healthz };
}

async function load(plan: BenchPlan, url: string, headers: Record<string, string>): Promise<RouteLoad> {
  const result = await autocannon({
    url,
    connections: plan.restConnections,
    duration: plan.restSeconds,
    headers,
    timeout: 10,
  });
  return {
    route: new URL(url).pathname,
    requestsPerSecond: result.requests.total / Math.max(result.duration, 0.001),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
