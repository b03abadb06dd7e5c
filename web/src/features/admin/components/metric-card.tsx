import type { ReactNode } from 'react';
import { Icon, type IconName } from '@/components/ui/icon';

interface MetricCardProps {
  label: string;
  icon: IconName;
  value: ReactNode;
  /** Smaller facts under the value. */
  detail?: ReactNode;
  /** 0..1: draws a meter under the value. */
  ratio?: number;
}

export function MetricCard({ label, icon, value, detail, ratio }: MetricCardProps) {
  const percent = ratio === undefined ? null : Math.round(Math.min(1, Math.max(0, ratio)) * 100);
  return (
    <section className="card metric-card" aria-label={label}>
      <h3 className="metric-label">
        <Icon name={icon} size={16} />
        {label}
      </h3>
      <p className="metric-value">{value}</p>
      {percent !== null && (
        <meter
          className="metric-meter"
          min={0}
          max={100}
          low={70}
          high={90}
          optimum={0}
          value={percent}
          aria-label={`${label}: ${percent}%`}
        />
      )}
      {detail && <div className="metric-detail">{detail}</div>}
    </section>
  );
}
