import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run dev` finds the API server (scripts/dev.ts starts it on this port). */
const apiTarget = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  resolve: {
    alias: {
      '@': path.join(webRoot, 'src'),
      '@shared': path.join(webRoot, '../shared'),
    },
  },
  build: {
    outDir: path.join(webRoot, '../dist/web'),
    emptyOutDir: true,
    // The server gives files under /assets/ a one-year immutable cache: names must be hashed.
    assetsDir: 'assets',
    sourcemap: false,
    // Inlined assets would become data: URLs; keep everything as files under 'self'.
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    // changeOrigin stays false: the socket checks that Origin matches Host.
    proxy: {
      '/api': { target: apiTarget, ws: true },
      '/healthz': { target: apiTarget },
      '/readyz': { target: apiTarget },
    },
  },
});
