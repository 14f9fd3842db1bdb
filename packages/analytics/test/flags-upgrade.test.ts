/**
 * @fileoverview Upgrading to flags stored in one column (migrations 037-040), then to time zero (041-043), against embedded chDB: a
 * warehouse migrated to 036 holds episodes, history and a release written the way that version
 * wrote them (a column per flag, fold version 3). After the migrations, every row's `flag_bits`
 * (read through the DEFAULT) equals the protocol's flags of the episode; the old release still
 * verifies against the hash recorded before; the projector folds the episodes again under the
 * new fold version and leaves no history of the old one; a release made after hashes its flags
 * too, so changing one is caught; and a rate whose flags a release was not classified with is
 * not answered of it (null), while the others are. Synthetic data only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogEvent, RecordedEvent } from '@ipt/events';
import {
  EPISODE_COUNTS,
  EPISODE_FLAGS,
  FOLD_VERSION,
  flagsFromBits,
  flagsOf,
  foldEpisode,
  RATE_MEASURE_NAMES,
  RATE_MEASURES,
} from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import {
  appendEvents,
  defineQuery,
  episodeRow,
  episodesAsOfSql,
  loadMigrations,
  refoldOutdatedEpisodes,
  statements,
  Warehouse,
} from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  basisOf,
  compareOutcomes,
  createRelease,
  scopeFor,
  timeToImprovement,
  verifyRelease,
} from '../src/server/index.js';
import { testDisclosure, testPrincipals, testRecordKeys } from '../src/testing/index.js';

const RECORDED = '2026-04-01 08:00:00.000';
const OLD_ASOF = '2026-04-02 00:00:00.000';
const events: CatalogEvent[] = [...simulateNetwork({ seed: 4242, episodes: 300, clinics: 3 })];
const byEpisode = new Map<string, CatalogEvent[]>();
for (const e of events) byEpisode.set(e.episodeId, [...(byEpisode.get(e.episodeId) ?? []), e]);
const expectedFlags = new Map(
  [...byEpisode].map(([id, list]) => [id, flagsOf(foldEpisode(list)).sort()]),
);
/** The flags of that time: the ones the migration records for releases made before it. */
let oldFlags: string[] = [];
const onlyOld = (flags: Map<string, string[]>) =>
  new Map([...flags].map(([id, list]) => [id, list.filter((f) => oldFlags.includes(f))]));

let dataDir: string;
let warehouse: Warehouse;

const anyRows = (name: string, sql: string) =>
  defineQuery({
    name,
    sql,
    params: z.record(z.string(), z.unknown()),
    row: z.record(z.string(), z.unknown()),
  });

async function apply(from: number, to: number): Promise<void> {
  for (const m of loadMigrations().filter((x) => x.version >= from && x.version <= to)) {
    for (const sql of statements(m.sql)) await warehouse.command(`test.${m.name}`, sql);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipt-flags-upgrade-'));
  warehouse = new Warehouse({ mode: 'embedded', dataDir });
  await apply(1, 36);
  const recorded: RecordedEvent[] = events.map((e) => ({
    ...e,
    recordedAt: '2026-04-01T08:00:00.000Z',
    sourceId: 'upgrade-test',
  }));
  await appendEvents(warehouse, recorded);
  const buckets = new Map(
    (
      await warehouse.query(
        anyRows(
          'test.buckets',
          'SELECT episode_id, toString(bucket) AS bucket FROM episode_buckets',
        ),
        {},
      )
    ).map((r) => [String(r.episode_id), String(r.bucket)]),
  );
  // The rows as the version before wrote them: no flag_bits column, fold version 3.
  const rows = [...byEpisode].map(([id, list]) => {
    const { flag_bits: _bits, ...row } = episodeRow(
      foldEpisode(list),
      1,
      '2026-04-01T08:00:00.000Z',
      testRecordKeys.of(id),
      '2026-04-01T08:00:00.000Z',
      buckets.get(id) ?? '',
    );
    return { ...row, fold_version: 3 };
  });
  await warehouse.insert({ name: 'test.old_episodes', table: 'episodes', rows });
  await warehouse.insert({ name: 'test.old_history', table: 'episode_history', rows });
  // A release frozen, hashed and recorded as that version did.
  await warehouse.command(
    'test.old_freeze',
    `INSERT INTO release_episodes SELECT 'old-2026' AS release, * FROM ${episodesAsOfSql('as_of')}`,
    { as_of: OLD_ASOF },
  );
  const [content] = await warehouse.query(
    anyRows(
      'test.old_hash',
      "SELECT count() AS episodes, lower(hex(SHA256(arrayStringConcat(arraySort(groupArray(hex(h))), '')))) AS hash FROM (SELECT cityHash64(toString(tuple(*))) AS h FROM (SELECT * EXCEPT (release, bucket) FROM release_episodes WHERE release = 'old-2026'))",
    ),
    {},
  );
  await warehouse.insert({
    name: 'test.old_release',
    table: 'releases',
    rows: [
      {
        name: 'old-2026',
        as_of: OLD_ASOF,
        definitions_version: '3.00000000',
        content_hash: content?.hash,
        episodes: Number(content?.episodes),
        created_by: 'steward',
        created_at: RECORDED,
        note: '',
        deleted: 0,
        version: 1,
      },
    ],
  });
  await apply(37, 40);
  // A release frozen at 040 (row form 2: every column of that time), hashed as that version did.
  await warehouse.command(
    'test.mid_freeze',
    `INSERT INTO release_episodes SELECT 'mid-2026' AS release, * FROM ${episodesAsOfSql('as_of')}`,
    { as_of: OLD_ASOF },
  );
  const [mid] = await warehouse.query(
    anyRows(
      'test.mid_hash',
      "SELECT count() AS episodes, lower(hex(SHA256(arrayStringConcat(arraySort(groupArray(hex(h))), '')))) AS hash FROM (SELECT cityHash64(toString(tuple(*))) AS h FROM (SELECT * EXCEPT (release, bucket) FROM release_episodes WHERE release = 'mid-2026'))",
    ),
    {},
  );
  await warehouse.insert({
    name: 'test.mid_release',
    table: 'releases',
    rows: [
      {
        name: 'mid-2026',
        as_of: OLD_ASOF,
        definitions_version: '3.00000000',
        content_hash: mid?.hash,
        episodes: Number(mid?.episodes),
        created_by: 'steward',
        created_at: RECORDED,
        note: '',
        deleted: 0,
        version: 1,
        row_form: 2,
      },
    ],
  });
  // Then every migration since.
  await apply(41, Number.MAX_SAFE_INTEGER);
  const [release] = await warehouse.query(
    anyRows('test.old_flags', "SELECT flags FROM releases FINAL WHERE name = 'old-2026'"),
    {},
  );
  oldFlags = release?.flags as string[];
}, 180_000);

afterAll(async () => {
  await warehouse?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

const flagsIn = async (table: string) =>
  new Map<string, string[]>(
    (
      await warehouse.query(
        anyRows(
          `test.flags_${table}`,
          `SELECT episode_id, toString(flag_bits) AS bits FROM ${table}`,
        ),
        {},
      )
    ).map((r) => [String(r.episode_id), flagsFromBits(Number(r.bits)).sort()]),
  );

describe('upgrading to flags stored in one column', () => {
  it('reads every old row with the flags the protocol gives its episode', async () => {
    expect(expectedFlags.size).toBeGreaterThan(250);
    // The thirteen flags of that time, still at their bits: the list only grows at its end.
    expect(oldFlags).toHaveLength(13);
    expect(EPISODE_FLAGS.slice(0, oldFlags.length)).toEqual(oldFlags);
    // Every one of them occurs somewhere, so the DEFAULT is checked flag by flag.
    const occurring = new Set<string>([...expectedFlags.values()].flat());
    for (const flag of oldFlags) expect.soft(occurring.has(flag), flag).toBe(true);
    for (const table of ['episodes FINAL', 'episode_history', 'release_episodes']) {
      expect(await flagsIn(table)).toEqual(onlyOld(expectedFlags));
    }
  });

  it('verifies the old release against the hash recorded before the upgrade', async () => {
    const verification = await verifyRelease(warehouse, 'old-2026');
    expect(verification.computed.episodes).toBe(expectedFlags.size);
    expect(verification.ok).toBe(true);
  });

  it('verifies a release frozen before time zero was stored (row form 2), and refuses to start a clock at the landmark of it', async () => {
    const verification = await verifyRelease(warehouse, 'mid-2026');
    expect(verification.computed.episodes).toBe(expectedFlags.size);
    expect(verification.ok).toBe(true);
    const scope = scopeFor(
      testPrincipals.steward,
      {},
      await basisOf(warehouse, { release: 'mid-2026' }),
    );
    await expect(
      timeToImprovement(warehouse, scope, { groupBy: 'problemArea', filters: {} }, testDisclosure),
    ).rejects.toThrow(/frozen before time zero was stored/);
    // Groups known at intake start at session 0 and need nothing new.
    const intake = await timeToImprovement(
      warehouse,
      scope,
      { groupBy: 'plannedSessions', filters: {} },
      testDisclosure,
    );
    expect(intake.timeZero.kind).toBe('intake');
  });

  it('folds every episode again under the new fold version, history included', async () => {
    expect(FOLD_VERSION).not.toBe(3);
    expect(await refoldOutdatedEpisodes(warehouse, testRecordKeys)).toBe(expectedFlags.size);
    const [left] = await warehouse.query(
      anyRows(
        'test.outdated',
        'SELECT (SELECT count() FROM episodes FINAL WHERE fold_version != {v:UInt32}) AS episodes, (SELECT count() FROM episode_history WHERE fold_version != {v:UInt32}) AS history',
      ),
      { v: FOLD_VERSION },
    );
    expect(left).toEqual({ episodes: 0, history: 0 });
    expect(await flagsIn('episodes FINAL')).toEqual(expectedFlags);
    // The frozen rows are never folded again.
    expect((await verifyRelease(warehouse, 'old-2026')).ok).toBe(true);
  });

  it('hashes the flags of a release made after, so changing one is caught', async () => {
    await createRelease(warehouse, testPrincipals.steward, {
      name: 'new-2026',
      asOf: new Date().toISOString(),
    });
    expect((await verifyRelease(warehouse, 'new-2026')).ok).toBe(true);
    // Its rows carry time zero: the clock can start at the landmark.
    const landmark = await timeToImprovement(
      warehouse,
      scopeFor(testPrincipals.steward, {}, await basisOf(warehouse, { release: 'new-2026' })),
      { groupBy: 'problemArea', filters: {} },
      testDisclosure,
    );
    expect(landmark.timeZero).toMatchObject({ kind: 'landmark', session: 3 });
    await warehouse.command(
      'test.tamper',
      "ALTER TABLE release_episodes UPDATE flag_bits = bitAnd(flag_bits, bitNot(toUInt64(1))) WHERE release = 'new-2026' AND bitTest(flag_bits, 0) SETTINGS mutations_sync = 2",
    );
    expect((await verifyRelease(warehouse, 'new-2026')).ok).toBe(false);
  });

  it('answers of a release only the rates whose flags it was classified with', async () => {
    // The old release, as if classified before `remission` existed too.
    await warehouse.command(
      'test.narrow',
      "INSERT INTO releases SELECT * REPLACE (arrayFilter(f -> f != 'remission', flags) AS flags, version + 1 AS version) FROM releases FINAL WHERE name = 'old-2026'",
    );
    const narrowFlags = oldFlags.filter((f) => f !== 'remission');
    const steward = testPrincipals.steward;
    const ask = async (release: string | undefined) =>
      compareOutcomes(
        warehouse,
        scopeFor(steward, {}, await basisOf(warehouse, { release })),
        { groupBy: [], filters: {} },
        testDisclosure,
      );
    const [narrow] = (await ask('old-2026')).groups;
    // The same episodes, live: every flag of today.
    const [full] = (await ask(undefined)).groups;
    const within = (name: (typeof RATE_MEASURE_NAMES)[number]) =>
      [RATE_MEASURES[name].numerator, RATE_MEASURES[name].denominator].every((c) =>
        (EPISODE_COUNTS[c] as readonly string[]).every((f) => narrowFlags.includes(f)),
      );
    expect(within('remission')).toBe(false);
    expect(within('recovery')).toBe(true);
    for (const name of RATE_MEASURE_NAMES) {
      // Every rate has enough episodes to be answered.
      expect(full?.[name], name).not.toBeNull();
      if (within(name)) expect(narrow?.[name], name).not.toBeNull();
      else expect(narrow?.[name], name).toBeNull();
    }
  });
});
