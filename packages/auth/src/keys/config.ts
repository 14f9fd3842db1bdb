import { READ_ROLES, ROLES } from '@ipt/analytics';
import { z } from 'zod';

/**
 * The API key configuration: `INGEST_KEYS` (sources that write events) and `READ_KEYS` (people
 * and services that read results). Both hold only SHA-256 hashes of the keys, so a leaked
 * config file or environment dump does not leak a usable key (EVENTS.md, `POST /v1/events`).
 *
 * A bad entry stops the ingest at start with a message naming the variable, the entry and the
 * field, because a key that silently fails to load looks to its source like a revoked key.
 */

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const SOURCE_ID = /^[a-z0-9][a-z0-9_.-]{1,63}$/;
const CLINIC_CODE = /^[a-z0-9-]{2,32}$/;

/** Keys made by `generateKey` start with this; a value with it is a raw key, never a hash. */
const RAW_KEY_PREFIX = 'ipt_';

/** Roles a read key may carry: the one list in @ipt/analytics (access.ts). */
export { READ_ROLES };

/** A string field whose type error says "is required" when absent rather than "got undefined". */
function requiredString(what: string) {
  return z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`),
  });
}

const keySha256 = requiredString('a string of 64 hex characters (the SHA-256 of the key)')
  .check((ctx) => {
    if (HEX_64.test(ctx.value)) return;
    // Never echo the value: when someone pastes the key itself here, the message must not
    // carry it into the start-up log.
    const message = ctx.value.startsWith(RAW_KEY_PREFIX)
      ? 'must be 64 hex characters: it holds a raw key; store sha256Hex(key) instead'
      : 'must be 64 hex characters (the SHA-256 of the key)';
    ctx.issues.push({ code: 'custom', input: ctx.value, message });
  })
  // Lower case so that duplicates are found whatever case the hash was pasted in.
  .transform((value) => value.toLowerCase());

const clinicCode = requiredString('a clinic code string').check((ctx) => {
  if (CLINIC_CODE.test(ctx.value)) return;
  // A wildcard would give one key every clinic, present and future; access stays explicit.
  const message =
    ctx.value === '*'
      ? 'must be a clinic code: "*" is not allowed, list each clinic the key may write'
      : 'must be a clinic code: 2-32 characters from a-z, 0-9 and "-"';
  ctx.issues.push({ code: 'custom', input: ctx.value, message });
});

const clinicList = z
  .array(clinicCode, {
    error: (issue) =>
      issue.input === undefined ? 'is required' : 'must be an array of clinic codes',
  })
  .min(1, { error: 'must list at least one clinic code' })
  .check((ctx) => {
    ctx.value.forEach((clinic, index) => {
      if (ctx.value.indexOf(clinic) !== index) {
        ctx.issues.push({
          code: 'custom',
          input: clinic,
          path: [index],
          message: `lists "${clinic}" twice`,
        });
      }
    });
  });

export const ingestKeySchema = z
  .strictObject(
    {
      sourceId: requiredString('a source id string').regex(SOURCE_ID, {
        error:
          'must be a source id: 2-64 characters from a-z, 0-9, "_", "." and "-", starting with a letter or digit',
      }),
      keySha256,
      clinics: clinicList,
    },
    { error: 'must be an object {"sourceId", "keySha256", "clinics"}' },
  )
  .readonly();

export const readKeySchema = z
  .strictObject(
    {
      name: requiredString('a key name string').regex(SOURCE_ID, {
        error:
          'must be a key name: 2-64 characters from a-z, 0-9, "_", "." and "-", starting with a letter or digit',
      }),
      keySha256,
      role: z.enum(READ_ROLES, {
        error: (issue) =>
          issue.input === undefined ? 'is required' : `must be one of: ${READ_ROLES.join(', ')}`,
      }),
      clinics: clinicList.optional(),
    },
    { error: 'must be an object {"name", "keySha256", "role", "clinics"?}' },
  )
  .check((ctx) => {
    // A clinic reader without clinics would read nothing, or (worse, after a later change)
    // everything; a steward or researcher with clinics suggests a scope that is not applied.
    const { role, clinics } = ctx.value;
    const bound = ROLES[role].clinicBound;
    if (bound && clinics === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: clinics,
        path: ['clinics'],
        message: 'is required for the clinic role: list the clinics this reader belongs to',
      });
    } else if (!bound && clinics !== undefined) {
      ctx.issues.push({
        code: 'custom',
        input: clinics,
        path: ['clinics'],
        message: `is only for the clinic role; a ${role} reads the whole network`,
      });
    }
  })
  .readonly();

export type IngestKey = z.output<typeof ingestKeySchema>;
export type ReadKey = z.output<typeof readKeySchema>;
export type ReadRole = (typeof READ_ROLES)[number];

/**
 * Flags a repeated value of `field` at the later entry, naming the entry it repeats. Runs only
 * once every entry parsed, so each entry is known to be an object with the field.
 */
function uniqueBy<T>(variable: string, field: keyof T & string, quoteValue: boolean) {
  return (ctx: z.core.ParsePayload<readonly T[]>) => {
    const firstIndex = new Map<unknown, number>();
    ctx.value.forEach((entry, index) => {
      const value = entry[field];
      const first = firstIndex.get(value);
      if (first === undefined) {
        firstIndex.set(value, index);
        return;
      }
      const repeats = `repeats ${variable}[${first}].${field}`;
      ctx.issues.push({
        code: 'custom',
        input: value,
        path: [index, field],
        message: quoteValue ? `"${String(value)}" ${repeats}` : repeats,
      });
    });
  };
}

const arrayError = (shape: string) => ({
  error: `must be a JSON array of ${shape} objects`,
});

const ingestKeysSchema = z
  .array(ingestKeySchema, arrayError('{"sourceId", "keySha256", "clinics"}'))
  .check(uniqueBy<IngestKey>('INGEST_KEYS', 'sourceId', true))
  .check(uniqueBy<IngestKey>('INGEST_KEYS', 'keySha256', false));

const readKeysSchema = z
  .array(readKeySchema, arrayError('{"name", "keySha256", "role", "clinics"?}'))
  .check(uniqueBy<ReadKey>('READ_KEYS', 'name', true))
  .check(uniqueBy<ReadKey>('READ_KEYS', 'keySha256', false));

/** `INGEST_KEYS[1].keySha256`, `READ_KEYS[0]`, or `clinics[0]` when there is no root. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** One line per problem, each starting with the path of the offending field. */
export function describeIssues(root: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        // A `key` field is the likeliest mistake and the most dangerous one to accept.
        const hint = key === 'key' ? 'store only keySha256, never the key' : 'unknown field';
        lines.push(`${formatPath(root, [...issue.path, key])} is not allowed: ${hint}`);
      }
      continue;
    }
    const where = formatPath(root, issue.path);
    lines.push(where === '' ? issue.message : `${where} ${issue.message}`);
  }
  return lines.join('; ');
}

function parseKeys<T>(variable: string, schema: z.ZodType<T[]>, raw: string | undefined): T[] {
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // JSON.parse's own message quotes the input, which may hold a raw key pasted by mistake.
    throw new Error(`${variable} is not valid JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new Error(describeIssues(variable, result.error.issues));
  return result.data;
}

/** Parses `INGEST_KEYS`; unset or empty means no source may write. Throws on any problem. */
export function parseIngestKeys(raw: string | undefined): readonly IngestKey[] {
  return parseKeys('INGEST_KEYS', ingestKeysSchema, raw);
}

/** Parses `READ_KEYS`; unset or empty means nobody may read. Throws on any problem. */
export function parseReadKeys(raw: string | undefined): readonly ReadKey[] {
  return parseKeys('READ_KEYS', readKeysSchema, raw);
}

/**
 * Refuses a key that is both an ingest key and a read key: each variable is valid alone, but
 * one secret would then both write a clinic's events and read the network's results.
 */
export function assertDistinctKeys(
  ingestKeys: readonly IngestKey[],
  readKeys: readonly ReadKey[],
): void {
  const ingestHashes = new Map(ingestKeys.map((k, index) => [k.keySha256, index]));
  readKeys.forEach((readKey, index) => {
    const ingestIndex = ingestHashes.get(readKey.keySha256);
    if (ingestIndex !== undefined) {
      throw new Error(
        `READ_KEYS[${index}].keySha256 repeats INGEST_KEYS[${ingestIndex}].keySha256: use a separate key for reading`,
      );
    }
  });
}
