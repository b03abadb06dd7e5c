/**
 * The benchmark's one table: a row per figure, with its baseline from the same run, the ratio
 * and, where the engine or the cache has one, the target and whether this run met it. Printed as a
 * Markdown table so the same text goes into docs/benchmarks.md.
 */

export type Unit = 'ms' | 'tok/s' | 'req/s' | 'MiB' | 'tokens' | 'x' | 'count';

export interface Row {
  /** The phase the figure comes from, e.g. "single stream". */
  phase: string;
  /** What was measured, e.g. "portal decode". */
  measure: string;
  value: number | null;
  unit: Unit;
  /** What the value is compared with, measured in the same invocation. */
  baseline?: { label: string; value: number | null };
  /** value / baseline, or another ratio the phase defines. */
  ratio?: number | null;
  /** The target in words, e.g. ">= 0.97x direct". */
  target?: string;
  /** Whether this run met the target; null when it could not be judged. */
  met?: boolean | null;
}

/** A number with its unit, rounded for reading: 3 significant digits, whole ms above 100. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'x':
      return `${value.toFixed(2)}x`;
    case 'MiB':
    case 'tokens':
    case 'count':
      return `${Math.round(value)}${unit === 'count' ? '' : ` ${unit}`}`;
    default:
      return `${round(value)} ${unit}`;
  }
}

function round(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toString();
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const HEADER = ['phase', 'measure', 'value', 'baseline (same run)', 'ratio', 'target', 'met'] as const;

function cells(row: Row): string[] {
  const baseline = row.baseline ? `${row.baseline.label} ${formatValue(row.baseline.value, row.unit)}` : '';
  const met = row.met === undefined ? '' : row.met === null ? '?' : row.met ? 'yes' : 'no';
  return [
    row.phase,
    row.measure,
    formatValue(row.value, row.unit),
    baseline,
    row.ratio === undefined ? '' : formatValue(row.ratio, 'x'),
    row.target ?? '',
    met,
  ];
}

/** A Markdown table with padded columns; the phase is written only where it changes. */
export function formatTable(rows: readonly Row[]): string {
  let previous = '';
  const body = rows.map((row) => {
    const line = cells(row);
    if (row.phase === previous) line[0] = '';
    previous = row.phase;
    return line;
  });
  const all = [[...HEADER], ...body];
  const widths = HEADER.map((_, i) => Math.max(...all.map((line) => line[i]!.length)));
  const format = (line: string[]) => `| ${line.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [format(all[0]!), rule, ...body.map(format)].join('\n');
}

/** Judges "at least" and "at most" targets; null when the figure is missing. */
export function atLeast(value: number | null | undefined, bound: number): boolean | null {
  return value === null || value === undefined ? null : value >= bound;
}

export function atMost(value: number | null | undefined, bound: number): boolean | null {
  return value === null || value === undefined ? null : value <= bound;
}
