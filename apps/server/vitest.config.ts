import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/server', {
  testTimeout: 60_000,
  exclude: ['test/kafka/**', '**/node_modules/**'],
});
