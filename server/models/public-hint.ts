/**
 * An absolute path that stands alone in a sentence (not `MODEL_PATH=/path/...`, an example
 * of what to type). The server's layout is none of a visitor's business.
 */
const ABSOLUTE_PATH = /(?<=^|[\s("'])(?:\/[^\s/,;:()"'`]+)+\/?/g;

/** The text with every absolute server path cut to its last part, for non-admins and anonymous probes. */
export function withoutServerPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, (match) => match.replace(/\/$/, '').split('/').pop() ?? '');
}
