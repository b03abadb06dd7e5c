import type { ApiStream } from './api-stream.js';
import type { DirectStream } from './direct-protocol.js';
import type { PortalStream } from './portal-stream.js';
import { median } from './stats.js';

type Stream = DirectStream | PortalStream | ApiStream;

/** The finite values of one figure across streams (a stream with no tokens has none). */
export const values = (list: readonly Stream[], key: 'decodeTokensPerSecond' | 'ttftMs'): number[] =>
  list.map((item) => item[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** Median decode rate of the streams. */
export const decode = (list: readonly Stream[]) => median(values(list, 'decodeTokensPerSecond'));
/** Median first-token time of the streams. */
export const ttft = (list: readonly Stream[]) => median(values(list, 'ttftMs'));
