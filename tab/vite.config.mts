// The tab (My Sessions at /tab/, Admin at /tab/admin): built into dist/tab and served by the server at /tab/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes dist/bundle-stats.json (outside the served folder): each chunk's static and dynamic
 * imports and the modules in it, so scripts/size.mjs can tell what My Sessions loads at start
 * from what only the Admin page loads.
 */
function bundleStats(): Plugin {
  return {
    name: 'stratus-bundle-stats',
    apply: 'build',
    generateBundle(_options, bundle) {
      const root = join(import.meta.dirname, '..');
      const chunks = Object.values(bundle).flatMap((c) =>
        c.type === 'chunk'
          ? [
              {
                file: c.fileName,
                isEntry: c.isEntry,
                isDynamicEntry: c.isDynamicEntry,
                facade: c.facadeModuleId ? relative(root, c.facadeModuleId) : undefined,
                imports: c.imports,
                dynamicImports: c.dynamicImports,
                css: [...(c.viteMetadata?.importedCss ?? [])],
                modules: c.moduleIds.map((m) => relative(root, m.replace(/^\0/, ''))),
              },
            ]
          : [],
      );
      // generateBundle runs before the output folder exists on a clean checkout.
      mkdirSync(join(import.meta.dirname, 'dist'), { recursive: true });
      writeFileSync(join(import.meta.dirname, 'dist', 'bundle-stats.json'), JSON.stringify({ chunks }, null, 1));
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/tab/',
  plugins: [react(), bundleStats()],
  build: { outDir: 'dist/tab', emptyOutDir: true, target: 'es2020', chunkSizeWarningLimit: 1200 },
});
