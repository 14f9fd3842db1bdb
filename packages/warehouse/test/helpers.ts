/**
 * Test support: a fresh embedded warehouse in a temporary directory per suite (chDB binds one
 * directory per process, and vitest runs each file in its own process), and simulated events
 * stamped as the ingest would stamp them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import { migrate, recordKeysFrom, Warehouse } from '../src/index.js';

/** Record keys under a fixed test secret (never a deployment's). */
export const testKeys = recordKeysFrom(new Uint8Array(32).fill(7));

export async function freshWarehouse(): Promise<{
  warehouse: Warehouse;
  dataDir: string;
  dispose: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-warehouse-'));
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await migrate(warehouse);
  return {
    warehouse,
    dataDir,
    dispose: async () => {
      await warehouse.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let clock = Date.parse('2026-04-01T08:00:00.000Z');
export function stamp(events: readonly CatalogEvent[], sourceId = 'test-source'): RecordedEvent[] {
  clock += 1000;
  const recordedAt = new Date(clock).toISOString();
  return events.map((event) => ({ ...event, recordedAt, sourceId }));
}

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
