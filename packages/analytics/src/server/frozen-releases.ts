import { DEFINITIONS_VERSION, EPISODE_FLAGS } from '@ipt/protocol';
import {
  defineQuery,
  episodesAsOfSql,
  fromClickHouseTime,
  nextVersion,
  toClickHouseTime,
  type Warehouse,
} from '@ipt/warehouse';
import { z } from 'zod';
import type { Basis, Principal } from '../access.js';
import { assertCan } from '../capabilities.js';
import { ConflictError, NotFoundError, QuestionError } from '../errors.js';

/**
 * Frozen releases (docs/outcomes.md, "As of and releases"): a steward freezes the episode rows as of
 * a moment under a name; every analysis can then be asked of that name and gives the same
 * numbers whatever arrives or changes later, because it reads the copied rows, never the live
 * ones or the history (which a new definition folds again). A content hash of the rows lets
 * anyone check that they are what was released. A name is never used twice, even after a
 * deletion, so a citation can never come to mean other numbers.
 */
export interface FrozenRelease {
  name: string;
  /** Events recorded up to this moment (ISO, UTC) are in the release. */
  asOf: string;
  definitionsVersion: string;
  /** SHA-256 (hex) over the sorted row hashes of the release's episode rows. */
  contentHash: string;
  episodes: number;
  createdBy: string;
  createdAt: string;
  note: string;
}

/** The fields of a release in the order lists show them (CSV of GET /v1/releases, the CLI). */
export const RELEASE_FIELDS = [
  'name',
  'asOf',
  'definitionsVersion',
  'episodes',
  'contentHash',
  'createdBy',
  'createdAt',
  'note',
] as const satisfies ReadonlyArray<keyof FrozenRelease>;

const releaseRow = z.object({
  name: z.string(),
  as_of: z.string(),
  definitions_version: z.string(),
  content_hash: z.string(),
  episodes: z.coerce.number().int(),
  created_by: z.string(),
  created_at: z.string(),
  note: z.string(),
  deleted: z.coerce.number().int(),
  flags: z.array(z.string()),
  row_form: z.coerce.number().int(),
});
type ReleaseRow = z.infer<typeof releaseRow>;
const RELEASE_COLUMNS =
  'name, toString(as_of) AS as_of, definitions_version, content_hash, episodes, created_by, toString(created_at) AS created_at, note, deleted, flags, row_form';

/**
 * How a release's content hash is taken (`row_form`): over every column the rows had when it
 * was frozen. Each form names the columns added after it, left out of its hash (the hash
 * recorded then was taken without them): 1, releases made before flags were stored in one
 * column (migration 037); 2, before the columns of time zero (041); 3, every column.
 */
const CURRENT_ROW_FORM = 3;
const COLUMNS_ADDED_AFTER: Record<number, readonly string[]> = {
  1: ['flag_bits', 'problem_area_at_landmark', 'medication_started_session'],
  2: ['problem_area_at_landmark', 'medication_started_session'],
  3: [],
};
/** The first row form whose rows carry the columns of time zero (landmark time to improvement). */
export const TIME_ZERO_ROW_FORM = 3;

function columnsAddedAfter(form: number): readonly string[] {
  const columns = COLUMNS_ADDED_AFTER[form];
  if (columns === undefined) {
    throw new Error(
      `release row form ${form} is newer than this version knows (${CURRENT_ROW_FORM})`,
    );
  }
  return columns;
}

const allReleases = defineQuery({
  name: 'releases.list',
  sql: `SELECT ${RELEASE_COLUMNS} FROM releases FINAL ORDER BY created_at DESC, name`,
  params: z.object({}),
  row: releaseRow,
});
const releaseNamed = defineQuery({
  name: 'releases.one',
  sql: `SELECT ${RELEASE_COLUMNS} FROM releases FINAL WHERE name = {name:String}`,
  params: z.object({ name: z.string() }),
  row: releaseRow,
});

const toRelease = (row: z.infer<typeof releaseRow>): FrozenRelease => ({
  name: row.name,
  asOf: fromClickHouseTime(row.as_of),
  definitionsVersion: row.definitions_version,
  contentHash: row.content_hash,
  episodes: row.episodes,
  createdBy: row.created_by,
  createdAt: fromClickHouseTime(row.created_at),
  note: row.note,
});

const latest = defineQuery({
  name: 'releases.latest_recorded',
  sql: "SELECT if(count() = 0, '', toString(max(recorded_to))) AS latest FROM episodes",
  params: z.object({}),
  row: z.object({ latest: z.string() }),
});

/** The latest recorded time folded into the live episodes (ISO), or null before any event. */
export async function latestRecorded(warehouse: Warehouse): Promise<string | null> {
  const [row] = await warehouse.query(latest, {});
  return row === undefined || row.latest === '' ? null : fromClickHouseTime(row.latest);
}

/** The releases one may ask of, newest first (deleted ones are gone). */
export async function listReleases(warehouse: Warehouse): Promise<FrozenRelease[]> {
  const rows = await warehouse.query(allReleases, {});
  return rows.filter((r) => r.deleted === 0).map(toRelease);
}

/** A release by name; NotFoundError when there is none (or it was deleted). */
export async function findRelease(warehouse: Warehouse, name: string): Promise<FrozenRelease> {
  return toRelease(await releaseRowNamed(warehouse, name));
}

async function releaseRowNamed(warehouse: Warehouse, name: string): Promise<ReleaseRow> {
  const [row] = await warehouse.query(releaseNamed, { name });
  if (row === undefined || row.deleted === 1) {
    throw new NotFoundError(
      `there is no release named "${name}"; the list of releases names those there are`,
    );
  }
  return row;
}

/**
 * The basis of a question from what it asked: `asOf` (a moment not in the future), `release`
 * (a name that exists), or neither (live). Both at once is refused: a release has its moment.
 */
export async function basisOf(
  warehouse: Warehouse,
  asked: { asOf?: string | undefined; release?: string | undefined },
  now: Date = new Date(),
): Promise<Basis> {
  if (asked.asOf !== undefined && asked.release !== undefined) {
    throw new QuestionError('ask of a release or as of a moment, not both: a release has its own');
  }
  if (asked.release !== undefined) {
    const row = await releaseRowNamed(warehouse, asked.release);
    const release = toRelease(row);
    return {
      kind: 'release',
      release: release.name,
      asOf: release.asOf,
      definitionsVersion: release.definitionsVersion,
      flags: row.flags,
      timeZero: row.row_form >= TIME_ZERO_ROW_FORM,
    };
  }
  if (asked.asOf !== undefined) {
    const asOf = new Date(asked.asOf);
    if (Number.isNaN(asOf.getTime())) throw new QuestionError('asOf is not a valid timestamp');
    if (asOf.getTime() > now.getTime()) {
      throw new QuestionError(
        `asOf ${asOf.toISOString()} is in the future: the numbers as of then are not known yet`,
      );
    }
    return { kind: 'asOf', asOf: asOf.toISOString() };
  }
  return { kind: 'live' };
}

/**
 * The hash of a row: of its text form, every column in order (a hash of the columns themselves
 * would be NULL for any row with a NULL in it, which most rows have).
 */
const ROW_HASH = 'cityHash64(toString(tuple(*)))';

/**
 * Per-row hashes of a release's rows, every column but the name and the month the episode is
 * filed under (where its live row is stored, not what it says; releases made before that column
 * existed hash as they did), and in the first row form also without `flag_bits`.
 */
const rowHashes = (form: number) =>
  `SELECT episode_id, ${ROW_HASH} AS row_hash FROM (SELECT * EXCEPT (${['release', 'bucket', ...columnsAddedAfter(form)].join(', ')}) FROM release_episodes WHERE release = {name:String})`;

const contentOf = (form: number) =>
  defineQuery({
    name: `releases.content_hash[${form}]`,
    sql: `SELECT count() AS episodes, lower(hex(SHA256(arrayStringConcat(arraySort(groupArray(hex(row_hash))), '')))) AS hash FROM (${rowHashes(form)})`,
    params: z.object({ name: z.string() }),
    row: z.object({ episodes: z.coerce.number().int(), hash: z.string() }),
  });

/**
 * Freezes the episode rows as of `asOf` under `name`: copies them from the history (by today's
 * definitions), hashes them, then records the release. Rows left by an attempt that failed
 * before it was recorded are removed first, so a retry freezes each episode once.
 */
export async function createRelease(
  warehouse: Warehouse,
  principal: Principal,
  input: { name: string; asOf: string; note?: string | undefined },
  now: Date = new Date(),
): Promise<FrozenRelease> {
  assertCan(principal, 'releases:manage');
  const basis = await basisOf(warehouse, { asOf: input.asOf }, now);
  if (basis.kind !== 'asOf') throw new QuestionError('a release needs its moment (asOf)');
  const [existing] = await warehouse.query(releaseNamed, { name: input.name });
  if (existing !== undefined) {
    throw new ConflictError(
      existing.deleted === 1
        ? `the release name ${input.name} was used before (and deleted); a cited name never comes to mean other numbers, so choose another`
        : `there is already a release named ${input.name}`,
    );
  }
  await removeRows(warehouse, input.name);
  const asOf = toClickHouseTime(basis.asOf);
  await warehouse.command(
    'releases.freeze',
    `INSERT INTO release_episodes SELECT {name:String} AS release, * FROM ${episodesAsOfSql('as_of')}`,
    { name: input.name, as_of: asOf },
  );
  const [content] = await warehouse.query(contentOf(CURRENT_ROW_FORM), { name: input.name });
  const createdAt = now.toISOString();
  await warehouse.insert({
    name: 'releases.record',
    table: 'releases',
    rows: [
      {
        name: input.name,
        as_of: asOf,
        definitions_version: DEFINITIONS_VERSION,
        content_hash: content?.hash ?? '',
        episodes: content?.episodes ?? 0,
        created_by: principal.name,
        created_at: toClickHouseTime(createdAt),
        note: input.note ?? '',
        deleted: 0,
        flags: EPISODE_FLAGS,
        row_form: CURRENT_ROW_FORM,
        version: nextVersion(),
      },
    ],
  });
  return findRelease(warehouse, input.name);
}

/** Deletes a release: it can no longer be asked of, and its rows go. Stewards only. */
export async function deleteRelease(
  warehouse: Warehouse,
  principal: Principal,
  name: string,
): Promise<void> {
  assertCan(principal, 'releases:manage');
  const row = await releaseRowNamed(warehouse, name);
  const release = toRelease(row);
  await warehouse.insert({
    name: 'releases.delete',
    table: 'releases',
    rows: [
      {
        name: release.name,
        as_of: toClickHouseTime(release.asOf),
        definitions_version: release.definitionsVersion,
        content_hash: release.contentHash,
        episodes: release.episodes,
        created_by: release.createdBy,
        created_at: toClickHouseTime(release.createdAt),
        note: release.note,
        deleted: 1,
        flags: row.flags,
        row_form: row.row_form,
        version: nextVersion(),
      },
    ],
  });
  await removeRows(warehouse, name);
}

const rowCount = defineQuery({
  name: 'releases.row_count',
  sql: 'SELECT count() AS n FROM release_episodes WHERE release = {name:String}',
  params: z.object({ name: z.string() }),
  row: z.object({ n: z.coerce.number().int() }),
});

async function removeRows(warehouse: Warehouse, name: string): Promise<void> {
  const [rows] = await warehouse.query(rowCount, { name });
  if ((rows?.n ?? 0) === 0) return;
  const table = warehouse.clustered
    ? "release_episodes_local ON CLUSTER '{cluster}'"
    : 'release_episodes';
  await warehouse.command(
    'releases.remove_rows',
    `ALTER TABLE ${table} DELETE WHERE release = {name:String} SETTINGS mutations_sync = 2`,
    { name },
  );
}

export interface ReleaseVerification {
  name: string;
  /** True when the rows hash to what was recorded, and number as many. */
  ok: boolean;
  recorded: { contentHash: string; episodes: number };
  computed: { contentHash: string; episodes: number };
  /**
   * Episodes whose frozen row differs from the history's row as of the release's moment, when
   * and when it was projected aside (only when the release was folded under today's
   * definitions, else null), at most 100.
   */
  differing: string[] | null;
}

const differingRows = defineQuery({
  name: 'releases.differing',
  sql: `SELECT episode_id FROM (
  SELECT episode_id, ${ROW_HASH} AS row_hash FROM (SELECT * EXCEPT (release, version, projected_at, bucket) FROM release_episodes WHERE release = {name:String})
) AS frozen
FULL OUTER JOIN (
  SELECT episode_id, ${ROW_HASH} AS row_hash FROM (SELECT * EXCEPT (version, projected_at, bucket) FROM ${episodesAsOfSql('as_of')})
) AS history USING (episode_id)
WHERE frozen.row_hash != history.row_hash
ORDER BY episode_id LIMIT 100`,
  params: z.object({ name: z.string(), as_of: z.string() }),
  row: z.object({ episode_id: z.string() }),
});

/**
 * Recomputes a release's content hash from its rows and says whether it is still what was
 * released; under today's definitions it also names the episodes whose rows differ from the
 * history's (a row changed in the warehouse by hand shows up there).
 */
export async function verifyRelease(
  warehouse: Warehouse,
  name: string,
): Promise<ReleaseVerification> {
  const row = await releaseRowNamed(warehouse, name);
  const release = toRelease(row);
  const [content] = await warehouse.query(contentOf(row.row_form), { name });
  const computed = { contentHash: content?.hash ?? '', episodes: content?.episodes ?? 0 };
  const ok = computed.contentHash === release.contentHash && computed.episodes === release.episodes;
  const differing =
    release.definitionsVersion === DEFINITIONS_VERSION
      ? (
          await warehouse.query(differingRows, {
            name,
            as_of: toClickHouseTime(release.asOf),
          })
        ).map((r) => r.episode_id)
      : null;
  return {
    name,
    ok,
    recorded: { contentHash: release.contentHash, episodes: release.episodes },
    computed,
    differing,
  };
}
