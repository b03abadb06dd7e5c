import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { connectApiClient } from './app/api-client-hooks';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/overlays.css';
import './styles/chat.css';
import './styles/composer.css';
import './styles/markdown.css';
import './styles/auth.css';
import './styles/history.css';

connectApiClient();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
