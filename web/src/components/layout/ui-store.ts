import { create } from 'zustand';

interface UiState {
  /** Phone: the sidebar drawer is open. */
  drawerOpen: boolean;
  /** Desktop: the sidebar is folded away. */
  sidebarCollapsed: boolean;
  setDrawer(open: boolean): void;
  toggleSidebar(): void;
}

export const useUi = create<UiState>()((set) => ({
  drawerOpen: false,
  sidebarCollapsed: false,
  setDrawer: (drawerOpen) => set({ drawerOpen }),
  toggleSidebar: () =>
    set((s) =>
      window.matchMedia('(max-width: 860px)').matches
        ? { drawerOpen: !s.drawerOpen }
        : { sidebarCollapsed: !s.sidebarCollapsed },
    ),
}));
