import type { MyUsage } from '@shared/contract/usage';

const number = new Intl.NumberFormat();

/** HH:MM in the browser's time zone. */
export function clockTime(iso: string): string {
  const at = new Date(iso);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** One figure against its limit; an unlimited one shows the count and says so. */
function Meter({ label, used, limit, note }: { label: string; used: number; limit: number | null; note?: string }) {
  const share = limit === null ? 0 : Math.min(1, used / limit);
  const level = share >= 1 ? 'full' : share >= 0.8 ? 'high' : 'ok';
  return (
    <div className="usage-meter">
      <div className="usage-meter-head">
        <span className="usage-meter-label">{label}</span>
        <span className="usage-meter-value">
          {number.format(used)} / {limit === null ? 'unlimited' : number.format(limit)}
        </span>
      </div>
      {limit !== null && (
        <div
          className={`usage-bar usage-bar-${level}`}
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={Math.min(used, limit)}
        >
          <span style={{ width: `${share * 100}%` }} />
        </div>
      )}
      {note && <p className="usage-meter-note">{note}</p>}
    </div>
  );
}

/** Today against the caller's effective limits. */
export function UsageToday({ usage }: { usage: MyUsage }) {
  const { limits, today } = usage;
  return (
    <section className="card usage-card" aria-labelledby="usage-today-title">
      <h2 id="usage-today-title" className="usage-card-title">
        Today
      </h2>
      <Meter
        label="Tokens today"
        used={usage.tokensToday}
        limit={limits.tokensPerDay}
        note={`Prompt tokens the model evaluated plus tokens it wrote; cached answers are free. Resets at ${clockTime(usage.resetsAt)}.`}
      />
      <dl className="usage-facts">
        <div>
          <dt>Requests today</dt>
          <dd>
            {number.format(today.requests)} ({number.format(today.cacheHits)} from the cache)
          </dd>
        </div>
        <div>
          <dt>Requests per minute</dt>
          <dd>{limits.requestsPerMinute === null ? 'unlimited' : number.format(limits.requestsPerMinute)}</dd>
        </div>
        <div>
          <dt>Answers at once</dt>
          <dd>{limits.concurrent === null ? 'unlimited' : number.format(limits.concurrent)}</dd>
        </div>
        <div>
          <dt>Longest answer</dt>
          <dd>{limits.maxTokens === null ? 'the server’s maximum' : `${number.format(limits.maxTokens)} tokens`}</dd>
        </div>
      </dl>
    </section>
  );
}
