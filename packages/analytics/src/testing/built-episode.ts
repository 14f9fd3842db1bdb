import { randomUUID } from 'node:crypto';
import type { CatalogEvent } from '@ipt/events';

/**
 * An episode built by hand: started with `started` (an `episode.started` payload, e.g. a
 * simulated one's), a PHQ-9 at intake, then each session attended with its PHQ-9 total, a week
 * apart from 2025-01-06; open unless `ended`, when it ends completed the day after its last
 * session, with any `followUps` that many weeks after the end. Items are filled three points at
 * a time, item 9 (self-harm) zero, so totals up to 24.
 */
export function builtEpisode(options: {
  clinicId: string;
  episodeId: string;
  clientId: string;
  started: unknown;
  /** Total at intake (session 0), then at sessions 1, 2, ... */
  totals: readonly number[];
  ended?: boolean;
  followUps?: ReadonlyArray<{ weeksAfterEnd: number; total: number }>;
}): CatalogEvent[] {
  const base = {
    schemaVersion: 1,
    clinicId: options.clinicId,
    clientId: options.clientId,
    episodeId: options.episodeId,
  };
  const day = (session: number, extraDays = 0) =>
    new Date(Date.UTC(2025, 0, 6 + 7 * session + extraDays)).toISOString().slice(0, 10);
  const items = (total: number) => {
    if (total > 24) throw new Error('built totals run to 24 (item 9 stays 0)');
    return Array.from({ length: 9 }, (_, i) =>
      i < 8 ? Math.max(0, Math.min(3, total - 3 * i)) : 0,
    );
  };
  const events: unknown[] = [
    {
      ...base,
      id: randomUUID(),
      type: 'episode.started',
      occurredOn: day(0),
      payload: options.started,
    },
  ];
  options.totals.forEach((total, session) => {
    if (session > 0) {
      events.push({
        ...base,
        id: randomUUID(),
        type: 'session.attended',
        occurredOn: day(session),
        payload: {
          sessionNumber: session,
          phase: session < 4 ? 'initial' : 'middle',
          modality: 'in_person',
        },
      });
    }
    events.push({
      ...base,
      id: randomUUID(),
      type: 'phq9.recorded',
      occurredOn: day(session),
      payload: {
        items: items(total),
        timepoint: session === 0 ? 'intake' : 'session',
        sessionNumber: session,
      },
    });
  });
  const last = options.totals.length - 1;
  if (options.ended === true) {
    events.push({
      ...base,
      id: randomUUID(),
      type: 'episode.ended',
      occurredOn: day(last, 1),
      payload: { reason: 'completed', relapsePreventionPlan: true },
    });
    for (const f of options.followUps ?? []) {
      events.push({
        ...base,
        id: randomUUID(),
        type: 'phq9.recorded',
        occurredOn: day(last, 1 + 7 * f.weeksAfterEnd),
        payload: {
          items: items(f.total),
          timepoint: 'follow_up',
          sessionNumber: last,
          weeksAfterEnd: f.weeksAfterEnd,
        },
      });
    }
  }
  return events as CatalogEvent[];
}
