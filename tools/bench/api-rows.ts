import { atLeast, type Row } from './report.js';
import type { BenchResults } from './results.js';
import { ratio } from './stats.js';
import { decode, ttft } from './stream-figures.js';

/** The OpenAI-compatible path beside the WebSocket one (prefix reused on both) and direct node-llama-cpp. */
export function apiRows({ single, api }: BenchResults): Row[] {
  if (!single || !api) return [];
  const phase = 'single stream';
  const socket = decode(single.warm.portal);
  const rate = decode(api);
  const socketTtft = ttft(single.warm.portal);
  const apiTtft = ttft(api);
  return [
    {
      phase,
      measure: 'decode, portal over /v1/chat/completions (SSE)',
      value: rate,
      unit: 'tok/s',
      baseline: { label: 'WebSocket', value: socket },
      ratio: ratio(rate, socket),
      target: '>= 0.97x WebSocket',
      met: atLeast(ratio(rate, socket), 0.97),
    },
    {
      phase,
      measure: 'TTFT, /v1/chat/completions (SSE)',
      value: apiTtft,
      unit: 'ms',
      baseline: { label: 'WebSocket, prefix reused', value: socketTtft },
      ratio: ratio(apiTtft, socketTtft),
    },
  ];
}
