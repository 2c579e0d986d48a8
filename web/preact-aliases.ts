/**
 * React's API, Preact's code (docs/decisions/035): every import of React, ReactDOM, the JSX runtime and react-is —
 * ours, TanStack Query's, Recharts', Testing Library's — resolves to preact/compat, ~4 KB of JavaScript against
 * React DOM's ~64 KB (gzip). Used by the build (web/vite.config.ts) and by the `web` test project
 * (vitest.config.ts), so the component tests run what ships. Going back to React: drop these aliases.
 */
export const PREACT_ALIASES = [
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-is$/, replacement: 'preact/compat' },
];
