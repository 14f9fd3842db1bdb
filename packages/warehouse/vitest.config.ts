import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/warehouse', { testTimeout: 60_000 });
