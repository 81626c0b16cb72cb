import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { cspFor } from './src-main/config/csp'

// One config, three bundles: the Electron main process (engine + shell), the sandboxed preload
// (CommonJS, self-contained, as Electron's sandbox requires) and the React renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The report worker is a thread's entry of its own (src-main/reports/worker.ts finds it next to index.js).
      rolldownOptions: { input: { index: resolve(__dirname, 'src-main/main.ts'), 'report-worker': resolve(__dirname, 'src-main/reports/worker-entry.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves bundles unminified; the renderer is also served over the headless door.
      minify: true,
      rolldownOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    plugins: [
      react(),
      {
        // The CSP lives in one place (src-main/config/csp.ts); the dev server needs a looser one for HMR.
        name: 'co-csp',
        transformIndexHtml: {
          order: 'pre',
          handler: (html, ctx) => html.replace('%CSP%', cspFor(ctx.server ? 'dev' : 'production')),
        },
      },
    ],
  },
})
