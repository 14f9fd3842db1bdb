import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/dashboard', {
  include: ['server/**/*.test.ts', 'src/lib/**/*.test.ts'],
});
