import { Suspense, useEffect } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { connectChat } from '@/features/chat/api/chat-session';
import { LoadingBlock } from '@/components/ui/spinner';
import { resetChat } from '@/features/chat/stores/chat-store';
import { resetConversations } from '@/features/conversations/stores/conversations-store';
import { useUi } from '@/components/layout/ui-store';
import { AppSidebar } from './app-sidebar';
import { chatHooks } from './chat-hooks';

/** The signed-in frame: sidebar and page. The chat socket lives here so answers keep streaming across pages. */
export function AppLayout() {
  const drawerOpen = useUi((s) => s.drawerOpen);
  const collapsed = useUi((s) => s.sidebarCollapsed);
  const setDrawer = useUi((s) => s.setDrawer);
  const location = useLocation();

  useEffect(() => {
    const disconnect = connectChat(chatHooks);
    return () => {
      // Leaving the signed-in area: nothing of this user may show for the next one.
      disconnect();
      resetChat();
      resetConversations();
    };
  }, []);
  // On phones, following a link closes the drawer.
  useEffect(() => setDrawer(false), [location.pathname, setDrawer]);

  useEffect(() => {
    if (!drawerOpen) return;
    // Keyboard and screen-reader users land in the drawer they just opened.
    document.querySelector<HTMLElement>('#sidebar .drawer-close')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setDrawer(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawerOpen, setDrawer]);

  return (
    <div className={`shell${drawerOpen ? ' drawer-open' : ''}${collapsed ? ' sidebar-collapsed' : ''}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppSidebar />
      <div className="scrim" onClick={() => setDrawer(false)} aria-hidden="true" />
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<LoadingBlock />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
