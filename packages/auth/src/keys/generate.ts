import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  describeIssues,
  type IngestKey,
  ingestKeySchema,
  type ReadKey,
  type ReadRole,
  readKeySchema,
} from './config.js';
import { sha256Hex } from './verify.js';

export type KeyKind = 'ingest' | 'read';

/**
 * A prefix per kind so that a key found in a log, a ticket or a repository is recognisable at a
 * glance (and by secret scanners) as an IPT Outcomes key, and which kind.
 */
export const KEY_PREFIXES = {
  ingest: 'ipt_ingest_',
  read: 'ipt_read_',
} as const satisfies Record<KeyKind, string>;

/** 32 random bytes: 256 bits, so a key cannot be guessed and its hash needs no salt. */
const KEY_BYTES = 32;

export interface GeneratedKey {
  /** The secret, shown once to whoever runs the CLI and then handed to the key's holder. */
  key: string;
  /** What goes into the config. */
  keySha256: string;
}

export function generateKey(kind: KeyKind): GeneratedKey {
  const key = `${KEY_PREFIXES[kind]}${randomBytes(KEY_BYTES).toString('base64url')}`;
  return { key, keySha256: sha256Hex(key) };
}

/**
 * Validates an entry with the same schema the ingest parses its config with, so the CLI never
 * prints an entry that would stop the ingest at start.
 */
function entry<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(describeIssues('', result.error.issues));
  return result.data;
}

/** The `INGEST_KEYS` entry for a source's new key. */
export function ingestConfigEntry(
  keySha256: string,
  owner: { sourceId: string; clinics: readonly string[] },
): IngestKey {
  return entry(ingestKeySchema, {
    sourceId: owner.sourceId,
    keySha256,
    clinics: [...owner.clinics],
  });
}

/** The `READ_KEYS` entry for a reader's new key. */
export function readConfigEntry(
  keySha256: string,
  owner: { name: string; role: ReadRole; clinics?: readonly string[] | undefined },
): ReadKey {
  return entry(readKeySchema, {
    name: owner.name,
    keySha256,
    role: owner.role,
    ...(owner.clinics === undefined ? {} : { clinics: [...owner.clinics] }),
  });
}
