import { useEffect } from 'react';
import { RouterProvider } from 'react-router-dom';
import { loadSession } from '@/features/auth/api/auth-api';
import { Toasts } from '@/components/ui/notifications/toasts';
import { router } from './router';

/** Providers and start-up: find out who is signed in, then route. */
export function App() {
  useEffect(() => {
    void loadSession();
  }, []);
  return (
    <>
      <RouterProvider router={router} />
      <Toasts />
    </>
  );
}
