import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt/ingest', { testTimeout: 60_000 });
