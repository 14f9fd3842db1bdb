import type { Logger } from '@ipt/http';
import { migrate, Warehouse, type WarehouseTarget } from '@ipt/warehouse';
import type { Env } from '../env.js';
import type { Role } from '../roles.js';

export function warehouseTarget(env: Env): WarehouseTarget {
  return env.CLICKHOUSE_URL === undefined
    ? { mode: 'embedded', dataDir: env.DATA_DIR }
    : { mode: 'server', url: env.CLICKHOUSE_URL, clustered: env.CLICKHOUSE_CLUSTERED };
}

/**
 * The warehouse of a process, migrated; null for the ingest role without a ClickHouse server:
 * an embedded warehouse belongs to the process that writes it.
 */
export async function openWarehouse(
  env: Env,
  processRole: Role,
  logger: Logger,
): Promise<Warehouse | null> {
  if (processRole === 'ingest' && env.CLICKHOUSE_URL === undefined) return null;
  const warehouse = new Warehouse(warehouseTarget(env), undefined, {
    maxExecutionSeconds: env.QUERY_TIMEOUT_SECONDS,
    maxMemoryBytes: env.QUERY_MAX_MEMORY_MB * 1024 * 1024,
  });
  logger.info(`warehouse: ${warehouse.description}`);
  const { applied } = await migrate(warehouse);
  if (applied.length > 0) logger.info('migrations applied', { applied });
  return warehouse;
}
