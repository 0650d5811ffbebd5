import { defineConfig } from 'vite'

// Built by scripts/web-build.ts (npm run build:web), which sets root to web/;
// served by the gateway (services/gateway/plugins/web-app.ts) from web/dist at '/'.
export default defineConfig({
  base: '/',
  // Nothing to copy: the icon is inline and the config comes from the gateway.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Every browser this targets supports modulepreload natively.
    modulePreload: { polyfill: false },
    reportCompressedSize: false
  }
})
