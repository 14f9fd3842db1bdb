import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateKey,
  type IngestKey,
  ingestConfigEntry,
  parseIngestKeys,
  parseReadKeys,
  type ReadKey,
  readConfigEntry,
} from '@ipt/auth';

/**
 * The demo's keys: made at the first start, printed once, and kept as hashes only in
 * DATA_DIR/demo-keys.json so they work again after a restart. Delete the file for new ones.
 * One source key for every demo clinic, and one read key per role: a steward (sign in with it
 * first), a clinic reader for the first two demo clinics, and a researcher.
 */
export interface DemoKeys {
  ingest: IngestKey;
  readers: ReadKey[];
  /** The raw keys, only when they were created by this start (to print them once). */
  created: { ingestKey: string; readKeys: Array<{ entry: ReadKey; key: string }> } | null;
  file: string;
}

export const DEMO_SOURCE_ID = 'demo-simulator';
export const DEMO_STEWARD = 'demo-steward';
export const DEMO_CLINIC_READER = 'demo-clinic';
export const DEMO_RESEARCHER = 'demo-researcher';

export function loadOrCreateDemoKeys(dataDir: string, clinics: readonly string[]): DemoKeys {
  const file = join(dataDir, 'demo-keys.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { ingest?: unknown; readers?: unknown };
    if (Array.isArray(saved.readers)) {
      const [ingest] = parseIngestKeys(JSON.stringify([saved.ingest]));
      const readers = parseReadKeys(JSON.stringify(saved.readers));
      if (ingest === undefined)
        throw new Error(`${file} is damaged; delete it to make new demo keys`);
      return { ingest, readers: [...readers], created: null, file };
    }
    // A file from before read roles (one researcher key): make a new set, printed once.
  }
  const ingestKey = generateKey('ingest');
  const ingest = ingestConfigEntry(ingestKey.keySha256, { sourceId: DEMO_SOURCE_ID, clinics });
  const roles = [
    { name: DEMO_STEWARD, role: 'steward' as const },
    { name: DEMO_CLINIC_READER, role: 'clinic' as const, clinics: clinics.slice(0, 2) },
    { name: DEMO_RESEARCHER, role: 'researcher' as const },
  ];
  const readKeys = roles.map((owner) => {
    const key = generateKey('read');
    return { entry: readConfigEntry(key.keySha256, owner), key: key.key };
  });
  const readers = readKeys.map((r) => r.entry);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ingest, readers }, null, 2)}\n`, { mode: 0o600 });
  return { ingest, readers, created: { ingestKey: ingestKey.key, readKeys }, file };
}
