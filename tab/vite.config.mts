// The My Sessions tab: built into dist/tab and served by the server at /tab/.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/tab/',
  plugins: [react()],
  build: { outDir: 'dist/tab', emptyOutDir: true, target: 'es2020', chunkSizeWarningLimit: 1200 },
});
