import { useEffect, type ReactNode } from 'react';
import { PageHeader } from '@/components/ui/page-header';

/** A scrolling page with a header and a narrow content column; also sets the tab title. */
export function NarrowPage({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · PocketLLM`;
  }, [title]);

  return (
    <div className="page page-scroll">
      <PageHeader title={title} />
      <div className="page-content narrow">{children}</div>
    </div>
  );
}
