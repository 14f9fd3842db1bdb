import { packageProject } from '@ipt/config/vitest';

export default packageProject('@ipt-outcomes/source');
