// Builds the console into three files with fixed names (index.html, console.js, console.css)
// that CMake embeds into rapportd; one JS chunk, no hashes, nothing loaded from another host.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/assets/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: {
    target: 'es2022',
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        entryFileNames: 'console.js',
        chunkFileNames: 'console.js',
        assetFileNames: (info) =>
          (info.names ?? []).some((n) => n.endsWith('.css')) ? 'console.css' : '[name][extname]',
        codeSplitting: false,
      },
    },
  },
});
