/**
 * Finds stop strings in streamed text. Text that might be the start of a stop string is held
 * back until the next chunk shows whether it is one, so a stop string never reaches the caller,
 * not even in part.
 */
export class StopDetector {
  private held = '';
  private readonly stops: string[];

  constructor(stops: readonly string[]) {
    this.stops = [...new Set(stops.filter((stop) => stop !== ''))];
  }

  /** The text that is safe to send now, and whether a stop string was reached. */
  push(text: string): { text: string; stopped: boolean } {
    if (this.stops.length === 0) return { text, stopped: false };
    const buffer = this.held + text;
    const at = this.firstStop(buffer);
    if (at >= 0) {
      this.held = '';
      return { text: buffer.slice(0, at), stopped: true };
    }
    const keep = this.partialStopLength(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return { text: buffer.slice(0, buffer.length - keep), stopped: false };
  }

  /** Text held back at the end of the stream: it turned out not to be a stop string. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  private firstStop(buffer: string): number {
    let first = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }

  /** Length of the longest end of `buffer` that some stop string starts with. */
  private partialStopLength(buffer: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
