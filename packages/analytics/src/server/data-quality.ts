import { RATE_MEASURES } from '@ipt/protocol';
import { defineQuery, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { Scope } from '../access.js';
import type { OutcomeFilters } from '../dimensions.js';
import { QuestionError } from '../errors.js';
import type { DataQualityResult } from '../types.js';
import { type DisclosureSettings, disclosureOf } from './disclosure.js';
import { cohortWhere, countCondition } from './outcomes-sql.js';
import { rowScope, scopeWhere } from './scope.js';

/**
 * The data-quality page: what arrives (events per day), what is refused and why, what the
 * projector could not read (dead letters), the findings of the fold, and paired-data
 * completeness by clinic (NHS services reach 91-98%). Completeness below k episodes is
 * withheld; the counts of episodes with a finding are exact, and `findingEpisodes` lists them.
 */
const count = z.coerce.number().int().nonnegative();
const q = <R extends z.ZodType>(name: string, sql: string, row: R) =>
  defineQuery({ name, sql, params: z.record(z.string(), z.unknown()), row });

export async function dataQuality(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
  options: DisclosureSettings,
): Promise<DataQualityResult> {
  // Operational data is never a network aggregate: the steward sees it all, a clinic reader
  // its own clinics whatever the question's scope, a researcher none (refused here).
  const ops = rowScope(scope.principal, 'dataQuality:read');
  if (scope.basis.kind !== 'live') {
    // Rejections, dead letters and the last 30 days of ingest are the live log's state.
    throw new QuestionError(
      'data quality is the state of the live log (refusals, dead letters, the last 30 days); it has no as-of or release form',
    );
  }
  const { where, params } = cohortWhere(ops, filters);
  const own = scopeWhere(ops);
  const [ingest, rejects, deadLetters, findings, completeness] = await Promise.all([
    warehouse.query(
      q(
        'dq.ingest_by_day',
        `SELECT toString(toDate(recorded_at)) AS day, count() AS events FROM events WHERE recorded_at >= now64(3) - INTERVAL 30 DAY AND ${own.where} GROUP BY day ORDER BY day`,
        z.object({ day: z.string(), events: count }),
      ),
      own.params,
    ),
    warehouse.query(
      q(
        'dq.rejects',
        `SELECT path, message, count() AS events FROM rejections WHERE received_at >= now64(3) - INTERVAL 30 DAY AND ${own.where} GROUP BY path, message ORDER BY events DESC LIMIT 50`,
        z.object({ path: z.string(), message: z.string(), events: count }),
      ),
      own.params,
    ),
    warehouse.query(
      q(
        'dq.dead_letters',
        `SELECT origin, reason, count() AS messages, toString(max(received_at)) AS latest FROM dead_letters WHERE ${
          ops.rows.kind === 'network'
            ? '1 = 1'
            : // The episode's owner (the clinic of its first stored event), not any clinic that
              // sent an event for it: a stray event of another clinic must not open its letters.
              `episode_id IN (SELECT episode_id FROM events GROUP BY episode_id HAVING ${scopeWhere(ops, 'argMin(clinic_id, (recorded_at, toString(id)))').where})`
        } GROUP BY origin, reason ORDER BY messages DESC LIMIT 50`,
        z.object({ origin: z.string(), reason: z.string(), messages: count, latest: z.string() }),
      ),
      own.params,
    ),
    warehouse.query(
      q(
        'dq.findings',
        `SELECT code, uniqExact(episode_id) AS episodes FROM data_quality_findings WHERE episode_id IN (SELECT episode_id FROM episodes FINAL WHERE ${where}) GROUP BY code ORDER BY episodes DESC`,
        z.object({ code: z.string(), episodes: count }),
      ),
      params,
    ),
    warehouse.query(
      q(
        'dq.paired_by_clinic',
        // Completeness as the registry defines it (RATE_MEASURES.pairedCompleteness).
        `SELECT clinic_id AS clinic, count() AS n, countIf(${countCondition(RATE_MEASURES.pairedCompleteness.denominator)}) AS finished, countIf(${countCondition(RATE_MEASURES.pairedCompleteness.numerator)}) AS paired FROM episodes FINAL WHERE ${where} GROUP BY clinic ORDER BY clinic`,
        z.object({ clinic: z.string(), n: count, finished: count, paired: count }),
      ),
      params,
    ),
  ]);
  // Exact numbers with the k rule, through the one DisclosureRule every answer uses.
  const disclosure = disclosureOf('exact', options);
  const k = disclosure.policy.k;
  const exact = (count: number) => ({ count, key: 0 });
  return {
    minCellSize: k,
    // Operational views are for readers who see their rows exactly (rowScope).
    protected: false,
    ingestByDay: ingest,
    rejects,
    deadLetters,
    // Exact, without the k rule: the reader gets the episodes behind each count anyway
    // (findingEpisodes), its own clinics' or, for the steward, the network's.
    findings: findings.map((f) => ({ code: f.code, episodes: f.episodes })),
    pairedByClinic: completeness.map((c) =>
      disclosure.count(exact(c.n)) === null
        ? { clinic: c.clinic, suppressed: true as const }
        : {
            clinic: c.clinic,
            suppressed: false as const,
            completeness: disclosure.rate(exact(c.paired), exact(c.finished)),
          },
    ),
  };
}

/** The most episodes one list gives: a clinic narrows by finding or clinic beyond it. */
export const FINDING_EPISODES_LIMIT = 5000;

const findingEpisodeRow = z.object({
  episodeId: z.string(),
  clinic: z.string(),
  code: z.string(),
  sessions: z.string(),
});

/**
 * The episodes behind the findings, pseudonyms only (the clinic re-identifies them with its own
 * secret, as with the off-track list): one row per episode and finding, with the sessions it
 * concerns. Operational, like the page: the steward's network, a clinic reader's own clinics,
 * a researcher nothing (refused). `code` narrows to one finding.
 */
export async function findingEpisodes(
  warehouse: Warehouse,
  scope: Scope,
  filters: OutcomeFilters,
  code: string | undefined,
): Promise<{ episodes: Array<z.infer<typeof findingEpisodeRow>>; truncated: boolean }> {
  const ops = rowScope(scope.principal, 'episodes:list');
  if (scope.basis.kind !== 'live') {
    throw new QuestionError(
      'the episodes with findings are those of the live log; they have no as-of or release form',
    );
  }
  const { where, params } = cohortWhere(ops, filters);
  const rows = await warehouse.query(
    q(
      'dq.finding_episodes',
      `SELECT episode_id AS episodeId, any(clinic_id) AS clinic, code, arrayStringConcat(arrayMap(x -> toString(x), arraySort(groupUniqArrayIf(session_number, session_number >= 0))), ' ') AS sessions FROM data_quality_findings WHERE episode_id IN (SELECT episode_id FROM episodes FINAL WHERE ${where})${code === undefined ? '' : ' AND code = {code:String}'} GROUP BY episode_id, code ORDER BY code, clinic, episodeId LIMIT {limit:UInt32}`,
      findingEpisodeRow,
    ),
    { ...params, ...(code === undefined ? {} : { code }), limit: FINDING_EPISODES_LIMIT + 1 },
  );
  return {
    episodes: rows.slice(0, FINDING_EPISODES_LIMIT),
    truncated: rows.length > FINDING_EPISODES_LIMIT,
  };
}
