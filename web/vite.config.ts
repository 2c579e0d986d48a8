import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { PREACT_ALIASES } from './preact-aliases.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The web UI: built into web/dist and served by the portal itself; `npm run dev` proxies /api to a portal. */
export default defineConfig({
  root,
  base: '/',
  // Preact has no fast refresh of React's kind: in `npm run dev` a changed file reloads the page instead.
  plugins: [react({ refreshExclude: /./ })],
  resolve: { alias: PREACT_ALIASES },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 400,
    // Preact and TanStack Query, which every page needs and which change less often than our code, in one chunk that
    // stays cached across our releases. Everything else splits by page (src/pages/registry.tsx): the charts library
    // lands in a chunk only the pages that draw charts load (issue 15, point 1).
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'vendor', test: /node_modules[\\/](?:preact|@tanstack)[\\/]/ }],
        },
      },
    },
  },
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    strictPort: false,
    // Keep the browser's Host header: the portal refuses cookie writes whose Origin is another host.
    proxy: { '/api': { target: process.env.PORTAL_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
