import { randomUUID } from 'node:crypto';
import type { CatalogEvent } from '@ipt/events';

/**
 * An open episode built by hand: started with `started` (an `episode.started` payload, e.g. a
 * simulated one's), a PHQ-9 at intake, then each session attended with its PHQ-9 total, a week
 * apart from 2026-01-05. Items are filled three points at a time, item 9 (self-harm) zero, so
 * totals up to 24.
 */
export function builtEpisode(options: {
  clinicId: string;
  episodeId: string;
  clientId: string;
  started: unknown;
  /** Total at intake (session 0), then at sessions 1, 2, ... */
  totals: readonly number[];
}): CatalogEvent[] {
  const base = {
    schemaVersion: 1,
    clinicId: options.clinicId,
    clientId: options.clientId,
    episodeId: options.episodeId,
  };
  const day = (session: number) =>
    new Date(Date.UTC(2026, 0, 5 + 7 * session)).toISOString().slice(0, 10);
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
  return events as CatalogEvent[];
}
