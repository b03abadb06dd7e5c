/** Progress lines on stderr, so stdout carries only the table. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const fixed = (value: number | null, digits = 0) => (value === null ? '–' : value.toFixed(digits));

/** One stream's figures in a progress line. */
export function describeStream(
  label: string,
  stream: { ttftMs: number | null; decodeTokensPerSecond: number | null; completionTokens: number },
): string {
  return `${label}: TTFT ${fixed(stream.ttftMs)} ms, ${fixed(stream.decodeTokensPerSecond, 1)} tok/s, ${stream.completionTokens} tokens`;
}
