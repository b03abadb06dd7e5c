import type { ReactNode } from 'react';
import { Icon, type IconName } from '@/components/ui/icon';

/** A card with a titled head (the title names the section for screen readers) and an optional action. */
export function Panel({
  id,
  icon,
  title,
  action,
  children,
}: {
  id: string;
  icon: IconName;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  const titleId = `${id}-title`;
  return (
    <section className="card panel" aria-labelledby={titleId}>
      <div className="panel-head">
        <h2 id={titleId} className="panel-title">
          <Icon name={icon} size={18} /> {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}
