import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/http', { testTimeout: 60_000 });
