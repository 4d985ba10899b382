import { fileURLToPath } from 'node:url';

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The desktop loads the built files (ui/dist) through Tauri's custom protocol; `npm run dev` serves them to
// `cargo tauri dev` on a fixed port.
export default defineConfig({
  plugins: [svelte()],
  resolve: {
    alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) },
    // Vitest resolves packages for Node by default; Svelte components must get their browser build.
    ...(process.env.VITEST ? { conditions: ['browser'] } : {}),
  },
  clearScreen: false,
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 800 },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // Unmounts components after each test.
    setupFiles: ['@testing-library/svelte/vitest'],
  },
});
