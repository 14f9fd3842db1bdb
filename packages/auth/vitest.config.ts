import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/auth', { testTimeout: 60_000 });
