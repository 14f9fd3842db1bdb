import { packageProject } from '@ipt/config/vitest';

/**
 * Suites against a real Kafka broker. One file at a time: they start processes, brokers and
 * embedded warehouses, and two cores do not run two of those side by side well.
 */
export default packageProject('@ipt/server:kafka', {
  include: ['test/kafka/**/*.test.ts'],
  globalSetup: ['test/kafka/global-setup.ts'],
  fileParallelism: false,
  testTimeout: 300_000,
  hookTimeout: 300_000,
});
