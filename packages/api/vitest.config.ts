import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/api', { testTimeout: 60_000 });
