import { Link } from 'react-router-dom';
import { Icon } from '@/components/ui/icon';
import { PageHeader } from '@/components/ui/page-header';

export function NotFoundPage() {
  return (
    <div className="page">
      <PageHeader title="Not found" />
      <div className="empty-state">
        <Icon name="search" size={28} />
        <h2>There is no page here</h2>
        <p>The link may be old or mistyped.</p>
        <Link to="/" className="btn btn-primary">
          Start a new chat
        </Link>
      </div>
    </div>
  );
}
