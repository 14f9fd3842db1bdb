import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogEvent } from '@ipt/events';
import { appendEvents, migrate, projectEpisodes, Warehouse } from '@ipt/warehouse';
import { testRecordKeys } from './disclosure.js';

/**
 * An embedded warehouse in a fresh directory holding `events`, stored and projected as the
 * ingest path does (record keys under the test secret). One per test file: chDB takes one data
 * directory per process. `dispose` closes it and removes the directory.
 */
export async function loadedWarehouse(
  events: readonly CatalogEvent[],
  name: string,
): Promise<{ warehouse: Warehouse; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `ipt-${name}-`));
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  const recordedAt = new Date().toISOString();
  for (let i = 0; i < events.length; i += 5000) {
    const batch = events.slice(i, i + 5000).map((e) => ({ ...e, recordedAt, sourceId: 'test' }));
    await appendEvents(warehouse, batch);
    await projectEpisodes(warehouse, [...new Set(batch.map((e) => e.episodeId))], testRecordKeys);
  }
  return {
    warehouse,
    async dispose() {
      await warehouse.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
