import type { RecordedEvent } from '@ipt/events';
import { type EpisodeEvent, type EpisodeSummary, foldEpisode } from '@ipt/protocol';
import { z } from 'zod';
import { allEpisodeIds, loadEpisodeEvents } from '../event-store.js';
import { defineQuery, type Warehouse } from '../gateway.js';
import { episodeRow, findingKey, findingRow, scoreRow } from './rows.js';
import { nextVersion } from './version.js';

/**
 * Projects episodes into the read model: fold each affected episode's full event history with
 * @ipt/protocol and upsert its rows. Folding the whole history (not applying a delta) is what
 * makes late, out-of-order and retracting events simple, and makes projecting the same batch
 * twice change nothing.
 */
export interface ProjectionResult {
  projected: number;
  deadLettered: number;
}

const liveScoreKeys = defineQuery({
  name: 'projection.live_score_keys',
  sql: 'SELECT episode_id, toString(event_id) AS event_id FROM episode_scores FINAL WHERE episode_id IN {episodes:Array(String)}',
  params: z.object({ episodes: z.array(z.string()) }),
  row: z.object({ episode_id: z.string(), event_id: z.string() }),
});

const liveFindingKeys = defineQuery({
  name: 'projection.live_finding_keys',
  sql: 'SELECT episode_id, code, session_number, event_id, clinic_id FROM data_quality_findings FINAL WHERE episode_id IN {episodes:Array(String)}',
  params: z.object({ episodes: z.array(z.string()) }),
  row: z.object({
    episode_id: z.string(),
    code: z.string(),
    session_number: z.coerce.number(),
    event_id: z.string(),
    clinic_id: z.string(),
  }),
});

const CHUNK = 2_000;

/** Re-folds the given episodes from the event log and upserts their projections. */
export async function projectEpisodes(
  warehouse: Warehouse,
  episodeIds: Iterable<string>,
): Promise<ProjectionResult> {
  const ids = [...new Set(episodeIds)];
  const result: ProjectionResult = { projected: 0, deadLettered: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const events = await loadEpisodeEvents(warehouse, chunk);
    const part = await writeProjections(warehouse, events, { tombstones: true });
    result.projected += part.projected;
    result.deadLettered += part.deadLettered;
  }
  return result;
}

/**
 * Rebuilds every projection from the raw log: truncate, then fold each episode. The result
 * equals the incremental one (tested), which is what makes the log the source of truth.
 */
export async function replay(
  warehouse: Warehouse,
  onProgress?: (done: number, total: number) => void,
): Promise<ProjectionResult> {
  for (const table of ['episodes', 'episode_scores', 'data_quality_findings']) {
    const target = warehouse.clustered ? `${table}_local ON CLUSTER '{cluster}'` : table;
    await warehouse.command(`replay.truncate_${table}`, `TRUNCATE TABLE IF EXISTS ${target}`);
  }
  const ids = await allEpisodeIds(warehouse);
  const result: ProjectionResult = { projected: 0, deadLettered: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const events = await loadEpisodeEvents(warehouse, ids.slice(i, i + CHUNK));
    const part = await writeProjections(warehouse, events, { tombstones: false });
    result.projected += part.projected;
    result.deadLettered += part.deadLettered;
    onProgress?.(Math.min(i + CHUNK, ids.length), ids.length);
  }
  return result;
}

async function writeProjections(
  warehouse: Warehouse,
  eventsByEpisode: Map<string, Array<RecordedEvent & EpisodeEvent>>,
  options: { tombstones: boolean },
): Promise<ProjectionResult> {
  const version = nextVersion();
  const projectedAt = new Date().toISOString();
  const summaries: EpisodeSummary[] = [];
  const deadLetters: Record<string, unknown>[] = [];
  for (const [episodeId, events] of eventsByEpisode) {
    try {
      summaries.push(foldEpisode(events));
    } catch (error) {
      // A fold that throws is a bug or a message this version cannot read: keep it visible.
      deadLetters.push({
        received_at: projectedAt.replace('T', ' ').replace('Z', ''),
        origin: 'projector',
        episode_id: episodeId,
        event_id: '',
        reason: error instanceof Error ? error.message : String(error),
        payload: JSON.stringify(events),
      });
    }
  }
  const episodes = summaries.map((s) => episodeRow(s, version, projectedAt));
  const scores = summaries.flatMap((s) =>
    [...s.scores, ...s.followUps].map((m) => scoreRow(s, m, version)),
  );
  const findings = summaries.flatMap((s) => s.findings.map((f) => findingRow(s, f, version)));

  if (options.tombstones && summaries.length > 0) {
    const episodeIds = summaries.map((s) => s.episodeId);
    const liveScores = new Set(
      scores.map((row) => `${String(row.episode_id)}|${String(row.event_id)}`),
    );
    for (const row of await warehouse.query(liveScoreKeys, { episodes: episodeIds })) {
      if (!liveScores.has(`${row.episode_id}|${row.event_id}`)) {
        scores.push({ ...tombstoneScore(row.episode_id, row.event_id), version });
      }
    }
    const liveFindings = new Set(findings.map(findingKey));
    for (const row of await warehouse.query(liveFindingKeys, { episodes: episodeIds })) {
      if (!liveFindings.has(findingKey(row)))
        findings.push({ ...row, message: '', version, is_deleted: 1 });
    }
  }

  await warehouse.insert({ name: 'projection.episodes', table: 'episodes', rows: episodes });
  await warehouse.insert({ name: 'projection.scores', table: 'episode_scores', rows: scores });
  await warehouse.insert({
    name: 'projection.findings',
    table: 'data_quality_findings',
    rows: findings,
  });
  await warehouse.insert({
    name: 'projection.dead_letters',
    table: 'dead_letters',
    rows: deadLetters,
  });
  return { projected: summaries.length, deadLettered: deadLetters.length };
}

function tombstoneScore(episodeId: string, eventId: string): Record<string, unknown> {
  return {
    episode_id: episodeId,
    event_id: eventId,
    clinic_id: '',
    session_number: 0,
    timepoint: '',
    weeks_after_end: null,
    total: 0,
    severity: '',
    self_harm_flag: 0,
    occurred_on: '1970-01-01',
    is_deleted: 1,
  };
}
