import { createNoiseDraw } from '@ipt/analytics/server';
import type { Logger } from '@ipt/http';
import type { NoiseDraw } from '@ipt/protocol';
import {
  FOLD_VERSION,
  keyUnkeyedEpisodes,
  type RecordKeys,
  recordKeysFrom,
  refoldOutdatedEpisodes,
  type Warehouse,
} from '@ipt/warehouse';
import { loadRecordKeySecret } from '../disclosure/record-key-secret.js';
import type { Env } from '../env.js';

/**
 * The record-key secret at work: the processes that project derive each episode's record key
 * from it (and first key the episodes stored before keys, and fold again those an older fold
 * wrote), those that answer protected questions their noise draw. Neither leaves the process.
 */
export async function prepareRecordKeys(
  env: Env,
  warehouse: Warehouse | null,
  uses: { projects: boolean; reads: boolean },
  logger: Logger,
): Promise<{ recordKeys: RecordKeys | null; draw: NoiseDraw | null }> {
  if (warehouse === null || !(uses.projects || uses.reads)) return { recordKeys: null, draw: null };
  const { secret, source } = loadRecordKeySecret(env);
  logger.info(`record-key secret: ${source}`);
  const draw = uses.reads ? createNoiseDraw(secret) : null;
  if (!uses.projects) return { recordKeys: null, draw };
  const recordKeys = recordKeysFrom(secret);
  const keyed = await keyUnkeyedEpisodes(warehouse, recordKeys);
  if (keyed > 0) logger.info(`record keys given to ${keyed} episodes stored before keys`);
  // Rows an older fold wrote lack what the fold has learnt since: fold them again first.
  const refolded = await refoldOutdatedEpisodes(warehouse, recordKeys, (done) =>
    logger.info(`folding again episodes of an older classification: ${done}`),
  );
  if (refolded > 0) logger.info(`${refolded} episodes folded again (fold version ${FOLD_VERSION})`);
  return { recordKeys, draw };
}
