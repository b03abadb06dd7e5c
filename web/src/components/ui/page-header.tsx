import type { ReactNode } from 'react';
import { useUi } from '@/components/layout/ui-store';
import { Icon } from './icon';

/** The bar at the top of each page: the sidebar toggle, a title and page actions. */
export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  const toggleSidebar = useUi((s) => s.toggleSidebar);
  return (
    <header className="page-header">
      <button
        type="button"
        className="icon-btn sidebar-toggle"
        onClick={toggleSidebar}
        aria-label="Toggle sidebar"
        aria-controls="sidebar"
      >
        <Icon name="sidebar" />
      </button>
      <h1 className="page-title">{title}</h1>
      <div className="page-actions">{children}</div>
    </header>
  );
}
