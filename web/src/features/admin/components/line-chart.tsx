import { useId } from 'react';

export interface Point {
  /** Milliseconds since the epoch. */
  t: number;
  v: number | null;
}

interface LineChartProps {
  title: string;
  points: Point[];
  format(value: number): string;
  /** Top of the scale; otherwise the data's peak with headroom. Defaults to auto. */
  max?: number;
  /** Time window ending at the newest sample, in ms. Defaults to one hour. */
  windowMs?: number;
  /** CSS modifier picking the series colour. Defaults to "a". */
  tone?: 'a' | 'b' | 'c' | 'd';
}

const W = 600;
const H = 160;

/** A round top for the scale (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) just above the peak. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** Splits at missing values so gaps show as gaps, not as lines through zero. */
function segments(points: Point[], x: (t: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.v === null) {
      if (current.length) out.push(current.join(' '));
      current = [];
      continue;
    }
    current.push(`${current.length ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
  }
  if (current.length) out.push(current.join(' '));
  return out;
}

/** A small time-series chart in plain SVG (no chart library, nothing inline for the CSP). */
export function LineChart({ title, points, format, max, windowMs = 3_600_000, tone = 'a' }: LineChartProps) {
  const gradientId = `grad-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  // The window ends at the newest sample (render stays pure: no clock read here).
  const end = points.reduce((latest, p) => Math.max(latest, p.t), 0);
  const start = end - windowMs;
  const values = points.map((p) => p.v).filter((v): v is number => v !== null);
  const peak = values.length ? Math.max(...values) : 0;
  const top = max ?? niceCeiling(peak * 1.1);
  const x = (t: number) => ((t - start) / windowMs) * W;
  const y = (v: number) => H - (Math.min(v, top) / top) * (H - 4) - 2;
  const lines = segments(
    points.filter((p) => p.t >= start),
    x,
    y,
  );
  const latest = [...points].reverse().find((p) => p.v !== null)?.v ?? null;
  const summary = values.length
    ? `${title} over the last hour: now ${latest === null ? 'unknown' : format(latest)}, peak ${format(peak)}.`
    : `${title}: no samples yet.`;

  return (
    <figure className={`card chart chart-${tone}`}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
        <span className="chart-latest">{latest === null ? '–' : format(latest)}</span>
      </figcaption>
      <div className="chart-plot">
        <span className="chart-max" aria-hidden="true">
          {format(top)}
        </span>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
          <defs>
            <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
              <stop offset="0%" className="chart-fill-top" />
              <stop offset="100%" className="chart-fill-bottom" />
            </linearGradient>
          </defs>
          {[0.25, 0.5, 0.75].map((f) => (
            <line
              key={f}
              x1={0}
              x2={W}
              y1={H * f}
              y2={H * f}
              className="chart-grid"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {lines.map((d) => (
            <g key={d}>
              <path
                d={`${d} V${H} H${d.split(' ')[0]!.slice(1).split(',')[0]} Z`}
                fill={`url(#${gradientId})`}
                className="chart-area"
              />
              <path d={d} className="chart-line" vectorEffect="non-scaling-stroke" />
            </g>
          ))}
        </svg>
        {values.length < 2 && <p className="chart-empty">Collecting samples…</p>}
      </div>
      <div className="chart-axis" aria-hidden="true">
        <span>{Math.round(windowMs / 60_000)} min ago</span>
        <span>now</span>
      </div>
    </figure>
  );
}
