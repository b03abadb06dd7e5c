import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { CpuSampler } from './cpu-sampler.js';

export interface MemorySnapshot {
  totalBytes: number;
  /** Memory not available to new work: total minus MemAvailable (Linux), else minus free. */
  usedBytes: number;
  processRssBytes: number;
}

/** API.md's `system` block of /api/admin/metrics. */
export interface SystemSnapshot {
  cpuPercent: number;
  memory: MemorySnapshot;
  /** How long this server process has been running, in whole seconds. */
  uptimeSec: number;
  /** 1, 5 and 15 minute load averages. */
  loadAvg: [number, number, number];
}

export function memorySnapshot(): MemorySnapshot {
  const totalBytes = os.totalmem();
  // os.freemem() leaves out page cache the kernel hands back on demand, so "used" would
  // look near-full on any busy Linux box; MemAvailable is the kernel's own estimate.
  const availableBytes = readMemAvailable() ?? os.freemem();
  return {
    totalBytes,
    usedBytes: Math.max(0, totalBytes - availableBytes),
    processRssBytes: process.memoryUsage.rss(),
  };
}

export function systemSnapshot(cpu: CpuSampler): SystemSnapshot {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return {
    cpuPercent: cpu.percent(),
    memory: memorySnapshot(),
    uptimeSec: Math.floor(process.uptime()),
    loadAvg: [one, five, fifteen],
  };
}

/** MemAvailable in bytes from /proc/meminfo text; undefined when absent. */
export function parseMemAvailable(meminfo: string): number | undefined {
  const match = /^MemAvailable:\s+(\d+)\s*kB/m.exec(meminfo);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

function readMemAvailable(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return parseMemAvailable(readFileSync('/proc/meminfo', 'utf8'));
  } catch {
    return undefined;
  }
}
