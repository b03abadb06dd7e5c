import type { UsageDay } from '@shared/contract/usage';

const number = new Intl.NumberFormat();
const WIDTH = 600;
const HEIGHT = 160;
const GAP = 2;

const tokensOf = (day: UsageDay) => day.promptTokens + day.completionTokens;

/** The last days' tokens as bars (plain SVG), with each day's figures on hover. */
export function UsageChart({ days }: { days: UsageDay[] }) {
  const peak = Math.max(1, ...days.map(tokensOf));
  const slot = WIDTH / Math.max(1, days.length);
  return (
    <section className="card usage-card" aria-labelledby="usage-days-title">
      <h2 id="usage-days-title" className="usage-card-title">
        Last {days.length} days
      </h2>
      <svg
        className="usage-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Tokens per day, at most ${number.format(peak)}`}
      >
        {days.map((day, i) => {
          const height = (tokensOf(day) / peak) * (HEIGHT - 4);
          return (
            <rect key={day.day} x={i * slot + GAP / 2} y={HEIGHT - height} width={slot - GAP} height={height}>
              <title>
                {`${day.day}: ${number.format(tokensOf(day))} tokens, ${number.format(day.requests)} requests (${number.format(day.cacheHits)} cached)`}
              </title>
            </rect>
          );
        })}
      </svg>
      <div className="usage-chart-axis">
        <span>{days[0]?.day}</span>
        <span>peak {number.format(peak)} tokens</span>
        <span>{days.at(-1)?.day}</span>
      </div>
    </section>
  );
}
