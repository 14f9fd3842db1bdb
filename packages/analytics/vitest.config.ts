import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/analytics', { testTimeout: 60_000 });
