import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IngestKey, parseIngestKeys, parseReadKeys, type ReadKey } from '../keys/config.js';
import { generateKey, ingestConfigEntry, readConfigEntry } from '../keys/generate.js';

/**
 * The demo's keys: made at the first start, printed once, and kept as hashes only in
 * DATA_DIR/demo-keys.json so they work again after a restart. Delete the file for new ones.
 */
export interface DemoKeys {
  ingest: IngestKey;
  read: ReadKey;
  /** The raw keys, only when they were created by this start (to print them once). */
  created: { ingestKey: string; readKey: string } | null;
  file: string;
}

export const DEMO_SOURCE_ID = 'demo-simulator';
export const DEMO_READER = 'demo-researcher';

export function loadOrCreateDemoKeys(dataDir: string, clinics: readonly string[]): DemoKeys {
  const file = join(dataDir, 'demo-keys.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { ingest?: unknown; read?: unknown };
    const [ingest] = parseIngestKeys(JSON.stringify([saved.ingest]));
    const [read] = parseReadKeys(JSON.stringify([saved.read]));
    if (ingest === undefined || read === undefined)
      throw new Error(`${file} is damaged; delete it to make new demo keys`);
    return { ingest, read, created: null, file };
  }
  const ingestKey = generateKey('ingest');
  const readKey = generateKey('read');
  const ingest = ingestConfigEntry(ingestKey.keySha256, { sourceId: DEMO_SOURCE_ID, clinics });
  const read = readConfigEntry(readKey.keySha256, { name: DEMO_READER, role: 'researcher' });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ingest, read }, null, 2)}\n`, { mode: 0o600 });
  return { ingest, read, created: { ingestKey: ingestKey.key, readKey: readKey.key }, file };
}
