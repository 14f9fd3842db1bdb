/**
 * @ipt/warehouse: the ClickHouse side of the platform, in one package so the ingest, the
 * projector and the dashboard share one schema and one gateway. Server-only (I/O).
 */

export { openClient, type WarehouseTarget } from './client.js';
export { toWarehouseError, WarehouseError, type WarehouseErrorKind } from './errors.js';
export {
  type AppendResult,
  allEpisodeIds,
  appendEvents,
  batchToken,
  type EventHome,
  episodeOwners,
  eventHomes,
  eventLogStats,
  loadEpisodeEvents,
  toEventRow,
} from './event-store.js';
export {
  DEFAULT_QUERY_LIMITS,
  defineQuery,
  type QueryLimits,
  type QuerySpec,
  Warehouse,
} from './gateway.js';
export { type GroupCommit, type GroupCommitOptions, groupCommit } from './group-commit.js';
export { clustered, loadMigrations, migrate, statements } from './migrations.js';
export { AS_OF_TYPE, episodesAsOfSql, releaseEpisodesSql } from './projection/history.js';
export {
  FOREIGN_EPISODE_REASON,
  FOREIGN_RETRACTION_REASON,
  ownedEvents,
  ownerOf,
} from './projection/ownership.js';
export {
  keyUnkeyedEpisodes,
  type ProjectionResult,
  type ProjectOptions,
  projectEpisodes,
  refoldOutdatedEpisodes,
  replay,
} from './projection/projector.js';
export {
  RECORD_KEY_SECRET_BYTES,
  type RecordKeys,
  recordKeysFrom,
} from './projection/record-keys.js';
export { episodeRow, FOLD_VERSION } from './projection/rows.js';
export { nextVersion } from './projection/version.js';
export { fromClickHouseTime, toClickHouseTime } from './time.js';
