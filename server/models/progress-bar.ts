import type { DownloadProgress } from './download.js';

/** Where the bar is drawn: a TTY gets one redrawn line, anything else plain lines. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBar {
  update(progress: DownloadProgress): void;
  /** Ends the bar's line (call once, after the last update). */
  done(): void;
}

/**
 * A download progress bar: `[#####.....]  42.3%  283.1/638.0 MB  12.3 MB/s  ETA 0:29`.
 * On a TTY it redraws one line at most 10 times a second; otherwise (logs, CI, Docker without
 * -t) it prints a plain line every 10 % or every 10 s, so logs stay short.
 */
export function createProgressBar(out: ProgressOutput = process.stdout, label = ''): ProgressBar {
  const tty = Boolean(out.isTTY);
  let lastDraw = 0;
  let lastPercentStep = -1;
  let lastLineAt = 0;
  let drawn = false;
  let last: DownloadProgress | null = null;
  const prefix = label ? `${label} ` : '';

  return {
    update(progress) {
      last = progress;
      const now = Date.now();
      if (tty) {
        if (now - lastDraw < 100 && progress.receivedBytes !== progress.totalBytes) return;
        lastDraw = now;
        drawn = true;
        const width = Math.max(10, Math.min(30, (out.columns ?? 80) - 60 - prefix.length));
        out.write(`\r${prefix}${formatProgress(progress, width)}\x1b[K`);
        return;
      }
      const step = progress.totalBytes ? Math.floor((progress.receivedBytes / progress.totalBytes) * 10) : -1;
      if (step !== lastPercentStep || now - lastLineAt >= 10_000) {
        lastPercentStep = step;
        lastLineAt = now;
        out.write(`${prefix}${formatProgress(progress, 0)}\n`);
      }
    },
    done() {
      if (tty && drawn) out.write('\n');
      else if (!tty && last && lastPercentStep !== 10) out.write(`${prefix}${formatProgress(last, 0)}\n`);
    },
  };
}

/** One progress line; barWidth 0 leaves the bar out. */
export function formatProgress(progress: DownloadProgress, barWidth: number): string {
  const { receivedBytes, totalBytes, resumedFromBytes, bytesPerSecond } = progress;
  const parts: string[] = [];
  if (totalBytes) {
    const fraction = Math.min(1, receivedBytes / totalBytes);
    if (barWidth > 0) {
      const filled = Math.round(fraction * barWidth);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`);
    }
    parts.push(`${(fraction * 100).toFixed(1).padStart(5)}%`);
    parts.push(`${mb(receivedBytes)}/${mb(totalBytes)} MB`);
  } else {
    parts.push(`${mb(receivedBytes)} MB`);
  }
  parts.push(`${mb(bytesPerSecond)} MB/s`);
  if (totalBytes && bytesPerSecond > 0) {
    parts.push(`ETA ${formatDuration((totalBytes - receivedBytes) / bytesPerSecond)}`);
  }
  if (resumedFromBytes > 0) parts.push(`(resumed at ${mb(resumedFromBytes)} MB)`);
  return parts.join('  ');
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** 75 → "1:15", 3700 → "1:01:40". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
