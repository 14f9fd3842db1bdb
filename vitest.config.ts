import { defineConfig } from 'vitest/config';

// One vitest process for the whole workspace: on a 2-core machine a single worker pool beats
// one runner per package, and the summary line covers every test. Suites against the real Kafka
// broker are their own project (one file at a time, a broker started once for them).
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'apps/server/vitest.kafka.config.ts',
    ],
  },
});
