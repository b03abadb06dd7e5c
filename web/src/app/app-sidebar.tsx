import { NavLink, useNavigate } from 'react-router-dom';
import { disconnectChat } from '@/features/chat/api/chat-session';
import { logout } from '@/features/auth/api/auth-api';
import { ConversationSidebar } from '@/features/conversations/components/conversation-sidebar';
import { Icon } from '@/components/ui/icon';
import { useAuth } from '@/features/auth/stores/auth-store';
import { useUi } from '@/components/layout/ui-store';

/** Brand, New chat, navigation, recent conversations and the account. */
export function AppSidebar() {
  const user = useAuth((s) => s.user);
  const setDrawer = useUi((s) => s.setDrawer);
  const navigate = useNavigate();

  const signOut = async () => {
    disconnectChat();
    await logout().catch(() => undefined);
    navigate('/login', { replace: true });
  };

  return (
    <aside id="sidebar" className="sidebar" aria-label="Sidebar">
      <div className="sidebar-top">
        <NavLink to="/" className="brand" aria-label="PocketLLM home">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="chat" size={16} />
          </span>
          <span className="brand-name">PocketLLM</span>
        </NavLink>
        <button
          type="button"
          className="icon-btn drawer-close"
          onClick={() => setDrawer(false)}
          aria-label="Close sidebar"
        >
          <Icon name="close" />
        </button>
      </div>
      <button type="button" className="btn btn-new-chat" onClick={() => navigate('/')}>
        <Icon name="plus" /> New chat
      </button>
      <nav className="main-nav" aria-label="Main">
        <NavLink to="/history" className="nav-link">
          <Icon name="history" /> History
        </NavLink>
        <NavLink to="/keys" className="nav-link">
          <Icon name="key" /> API keys
        </NavLink>
        <NavLink to="/usage" className="nav-link">
          <Icon name="bolt" /> Usage
        </NavLink>
        {user?.role === 'admin' && (
          <NavLink to="/admin" className="nav-link">
            <Icon name="shield" /> Admin
          </NavLink>
        )}
      </nav>
      <ConversationSidebar />
      <div className="sidebar-account center-row">
        <span className="avatar" aria-hidden="true">
          {user?.username.slice(0, 1).toUpperCase()}
        </span>
        <span className="account-text">
          <span className="account-name">{user?.username}</span>
          <span className="account-role">{user?.role === 'admin' ? 'Administrator' : 'User'}</span>
        </span>
        <button
          type="button"
          className="icon-btn"
          onClick={() => void signOut()}
          aria-label="Sign out"
          title="Sign out"
        >
          <Icon name="logout" />
        </button>
      </div>
    </aside>
  );
}
