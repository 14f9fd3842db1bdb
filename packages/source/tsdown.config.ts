import { defineConfig } from 'tsdown';

// One self-contained ESM file and its types: the workspace packages this client is made of
// (`@ipt/events`, `@ipt/protocol`) are bundled in, so the tarball depends on zod alone.
export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // No source maps: they would point into a repository the installer does not have.
  sourcemap: false,
  dts: { sourcemap: false },
  deps: {
    alwaysBundle: [/^@ipt\/(events|protocol)(\/|$)/],
    neverBundle: ['zod'],
  },
  clean: true,
});
