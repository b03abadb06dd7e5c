import fs from 'node:fs';

export interface ProcMemory {
  /** VmHWM: the peak resident set size since the process started. */
  vmHwmBytes: number | null;
  /** VmRSS: the resident set size now. */
  vmRssBytes: number | null;
  /** RssAnon / RssFile: how much of VmRSS is anonymous memory and mapped file pages, now. */
  rssAnonBytes?: number | null;
  rssFileBytes?: number | null;
}

/** Reads a process's resident memory from /proc (Linux); nulls where it cannot. */
export function readProcMemory(pid: number | 'self'): ProcMemory {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { vmHwmBytes: null, vmRssBytes: null };
  }
  return {
    vmHwmBytes: parseStatusKb(status, 'VmHWM'),
    vmRssBytes: parseStatusKb(status, 'VmRSS'),
    rssAnonBytes: parseStatusKb(status, 'RssAnon'),
    rssFileBytes: parseStatusKb(status, 'RssFile'),
  };
}

/** A "Name:   1234 kB" line of /proc/<pid>/status, in bytes. */
export function parseStatusKb(status: string, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : null;
}
