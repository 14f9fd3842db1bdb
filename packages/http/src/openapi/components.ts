/**
 * The schemas of the OpenAPI document, in zod: the request schemas are the validators themselves
 * (the event catalog), and the answers are described here once, field by field, with the ids
 * they get under `components/schemas`. Built once per process: zod keeps one schema per id.
 */

import { OUTCOME_DIMENSIONS, TIME_TO_IMPROVEMENT_DIMENSIONS } from '@ipt/analytics';
import { eventSchema, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '@ipt/events';
import { COUNT_LABELS, RATE_MEASURE_NAMES } from '@ipt/protocol';
import { z } from 'zod';

const interval = z
  .tuple([z.number(), z.number()])
  .meta({ description: '95% interval: lower, upper' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ examples: ['invalid_query'] }),
      message: z.string().meta({ description: 'What is wrong and what to send instead' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error: JSON, never a stack trace or HTML' });

export const Event = eventSchema.meta({ id: 'Event' });

export const Batch = z.strictObject({ events: z.array(Event).min(1).max(MAX_BATCH_EVENTS) }).meta({
  id: 'Batch',
  description: `The body of POST /v1/events: 1 to ${MAX_BATCH_EVENTS} events, at most ${MAX_BODY_BYTES} bytes`,
});

export const BatchResult = z
  .object({
    accepted: z.int().min(0).meta({
      description:
        'Events accepted (durable before this response); a repeated id counts and is stored once',
    }),
    rejected: z.array(
      z.object({
        index: z.int().min(0).meta({ description: 'Position in the request' }),
        id: z.string().nullable(),
        errors: z.array(
          z.object({
            path: z.string().meta({ examples: ['payload.items.3'] }),
            message: z.string(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'BatchResult' });

export const Basis = z
  .object({
    release: z.string().nullable().meta({ description: 'The release asked of, or null' }),
    asOf: z
      .string()
      .nullable()
      .meta({ description: 'The moment the numbers are as of; null: live' }),
    definitionsVersion: z.string().meta({ examples: ['3.3e89152a'] }),
  })
  .meta({ id: 'Basis', description: 'What the numbers are as of (every analysis answer)' });

const disclosure = {
  minCellSize: z.int().meta({ description: 'k: groups and counts below it are withheld' }),
  protected: z.boolean().meta({
    description: 'True: counts, sums and means carry cell-key noise; intervals are widened for it',
  }),
  basis: Basis,
};

const Rate = z
  .object({ count: z.int(), denominator: z.int(), rate: z.number(), ci: interval })
  .nullable()
  .meta({ id: 'Rate', description: 'A rate with its Wilson 95% interval; null when withheld' });

export const OutcomesAnswer = z
  .object({
    ...disclosure,
    groupBy: z.array(z.enum(OUTCOME_DIMENSIONS)),
    groups: z.array(
      z
        .object({
          n: z.int().nullable().meta({
            description:
              'Started episodes in the group. Null when suppressed (1 to minCellSize - 1 episodes; for protected readers also an empty group); 0 for an empty group read exactly.',
          }),
          suppressed: z.boolean().meta({
            description: 'True when the group reads "fewer than minCellSize": every number null',
          }),
          finished: z
            .int()
            .nullable()
            .meta({
              description: `Of the group, the ${COUNT_LABELS.finished}; null when withheld (below minCellSize, 0 aside for exact readers)`,
            }),
          paired: z
            .int()
            .nullable()
            .meta({
              description: `Of the group, the ${COUNT_LABELS.paired}; null when withheld (below minCellSize, 0 aside for exact readers)`,
            }),
          ...Object.fromEntries(RATE_MEASURE_NAMES.map((name) => [name, Rate])),
          meanChange: z.object({ mean: z.number(), ci: interval }).nullable().meta({
            description:
              'Mean change of PHQ-9 (endpoint - baseline) over the paired, finished episodes, with its 95% t interval',
          }),
          effectSize: z.number().nullable().meta({
            description: 'Pre-post effect size: mean(baseline - endpoint) / SD(baseline)',
          }),
        })
        .catchall(z.string())
        .meta({ description: 'One group: its value of each groupBy dimension, then its numbers' }),
    ),
    adjusted: z
      .object({})
      .passthrough()
      .optional()
      .meta({ description: 'With adjust=caseMix: crude and adjusted rates per group' }),
  })
  .meta({ id: 'OutcomesAnswer' });

export const TimeToImprovementAnswer = z
  .object({
    ...disclosure,
    groupBy: z.enum(TIME_TO_IMPROVEMENT_DIMENSIONS).nullable(),
    timeZero: z
      .object({
        kind: z.enum(['intake', 'landmark', 'exposure']),
        session: z.int().nullable(),
        description: z.string(),
      })
      .meta({
        description:
          "Where the clock starts: intake (session 0); a landmark session (problem area: 3; points are session numbers after it); or each episode's exposure (medication: points are sessions since it began)",
      }),
    series: z.array(
      z.object({
        group: z.string(),
        suppressed: z.boolean(),
        episodes: z.int().nullable(),
        points: z.array(
          z.object({
            session: z.int(),
            atRisk: z.int(),
            events: z.int().nullable().meta({ description: 'null when protected' }),
            competing: z.int().nullable(),
            censored: z.int().nullable(),
            incidence: z.number(),
            ci: interval,
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'TimeToImprovementAnswer' });

export const OffTrackAnswer = z
  .object({
    episodes: z.array(
      z.object({
        episodeId: z.string().meta({ description: 'The pseudonym the clinic sent' }),
        clinic: z.string(),
        band: z.string().meta({ description: 'Baseline severity band' }),
        session: z.int(),
        total: z.int(),
        expected: z.object({ p10: z.number(), p50: z.number(), p90: z.number() }),
        lastSession: z.int(),
      }),
    ),
    truncated: z.boolean().meta({ description: 'More than 5,000 off track: narrow by clinic' }),
    basis: Basis,
  })
  .meta({ id: 'OffTrackAnswer' });

export const FindingEpisodesAnswer = z
  .object({
    episodes: z.array(
      z.object({
        episodeId: z.string().meta({ description: 'The pseudonym the clinic sent' }),
        clinic: z.string(),
        code: z
          .string()
          .meta({ description: 'The finding: one of the codes the code parameter takes' }),
        sessions: z.string().meta({
          description: 'The sessions it concerns, space-separated; empty for the episode',
        }),
      }),
    ),
    truncated: z.boolean().meta({ description: 'More than the answer holds: narrow by code' }),
    basis: Basis,
  })
  .meta({ id: 'FindingEpisodesAnswer' });

export const ReleasesAnswer = z
  .object({
    releases: z.array(
      z.object({
        name: z.string(),
        asOf: z.string(),
        definitionsVersion: z.string(),
        episodes: z.int(),
        contentHash: z.string().meta({ description: 'SHA-256 over the sorted row hashes' }),
        createdBy: z.string(),
        createdAt: z.string(),
        note: z.string(),
      }),
    ),
  })
  .meta({ id: 'ReleasesAnswer' });

export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const Ready = z
  .object({
    ready: z.boolean(),
    checks: z.record(z.string(), z.enum(['up', 'down'])),
  })
  .meta({ id: 'Ready' });
