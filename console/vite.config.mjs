// Builds the operations console and the device screens into console/dist,
// which the service serves at /console (src/console/console.module.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/console/',
  publicDir: false,
  // Preact's JSX runtime, compiled by Vite's own transformer: no Babel plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // The typed client falls back to the `ws` package outside browsers; a browser always has WebSocket.
    alias: { ws: here('src/ws-shim.ts') },
  },
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false, chunkSizeWarningLimit: 1000 },
  logLevel: 'warn',
});
