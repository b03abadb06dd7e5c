import { lazy } from 'react';
import { createBrowserRouter } from 'react-router-dom';
import { ApiKeysPage } from '@/pages/api-keys-page';
import { ChatPage } from '@/pages/chat-page';
import { HistoryPage } from '@/pages/history-page';
import { LoginPage } from '@/pages/login-page';
import { NotFoundPage } from '@/pages/not-found-page';
import { UsagePage } from '@/pages/usage-page';
import { AppLayout } from './app-layout';
import { RequireAdmin, RequireAuth } from './guards';

// Its own chunk: charts and user management are downloaded only by admins who open it.
const AdminPage = lazy(() => import('@/pages/admin-page'));

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { path: '/', element: <ChatPage /> },
      { path: '/c/:conversationId', element: <ChatPage /> },
      { path: '/history', element: <HistoryPage /> },
      { path: '/keys', element: <ApiKeysPage /> },
      { path: '/usage', element: <UsagePage /> },
      {
        path: '/admin',
        element: (
          <RequireAdmin>
            <AdminPage />
          </RequireAdmin>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
