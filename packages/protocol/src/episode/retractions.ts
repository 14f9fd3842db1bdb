import type { EpisodeEvent, EventRetractedEvent } from './events.js';
import type { DataQualityFinding } from './findings.js';
import { canonicalJson, compareKeys } from './order.js';

/**
 * Reduces a raw event list to the events in force: one copy per id, retracted events removed.
 *
 * A retraction can itself be retracted (undoing it), so "retracted" is resolved recursively:
 * an event is out when some retraction of it is in force. Retractions of ids the episode has
 * never seen are kept as findings; the target may still arrive, and the next fold applies it.
 */
export interface EffectiveEvents {
  /** Distinct events, retractions included, in id order. */
  distinct: EpisodeEvent[];
  /** Events in force: not retracted, and not retractions themselves. */
  active: EpisodeEvent[];
  retractedEventIds: string[];
  findings: DataQualityFinding[];
}

export function resolveEvents(events: readonly EpisodeEvent[]): EffectiveEvents {
  const findings: DataQualityFinding[] = [];
  const byId = new Map<string, EpisodeEvent>();
  for (const event of events) {
    const kept = byId.get(event.id);
    if (kept === undefined) {
      byId.set(event.id, event);
      continue;
    }
    const keptJson = canonicalJson(withoutIngestStamp(kept));
    const eventJson = canonicalJson(withoutIngestStamp(event));
    if (keptJson !== eventJson) {
      findings.push({
        code: 'conflicting_duplicate_id',
        message: `event id ${event.id} was sent twice with different content; the first recorded copy is used`,
        eventId: event.id,
        sessionNumber: null,
      });
    }
    // The ingest stores the first copy of an id; prefer the earliest recordedAt, and fall back to
    // the canonical text so the choice never depends on arrival order.
    if (compareKeys(copyKey(event, eventJson), copyKey(kept, keptJson)) < 0)
      byId.set(event.id, event);
  }
  const distinct = [...byId.values()].sort((a, b) => compareKeys([a.id], [b.id]));

  const retractionsOf = new Map<string, EventRetractedEvent[]>();
  for (const event of distinct) {
    if (event.type !== 'event.retracted') continue;
    const target = event.payload.eventId;
    if (!byId.has(target)) {
      findings.push({
        code: 'retraction_of_unknown_event',
        message: `retraction ${event.id} names event ${target}, which this episode has not received`,
        eventId: event.id,
        sessionNumber: null,
      });
      continue;
    }
    const list = retractionsOf.get(target) ?? [];
    list.push(event);
    retractionsOf.set(target, list);
  }

  const memo = new Map<string, boolean>();
  const inProgress = new Set<string>();
  const isRetracted = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (inProgress.has(id)) {
      findings.push({
        code: 'retraction_cycle',
        message: `retractions of event ${id} form a cycle; the cycle is ignored`,
        eventId: id,
        sessionNumber: null,
      });
      return false;
    }
    inProgress.add(id);
    const result = (retractionsOf.get(id) ?? []).some((retraction) => !isRetracted(retraction.id));
    inProgress.delete(id);
    memo.set(id, result);
    return result;
  };

  const retractedEventIds: string[] = [];
  const active: EpisodeEvent[] = [];
  for (const event of distinct) {
    if (isRetracted(event.id)) retractedEventIds.push(event.id);
    else if (event.type !== 'event.retracted') active.push(event);
  }
  return { distinct, active, retractedEventIds, findings };
}

function withoutIngestStamp(event: EpisodeEvent): unknown {
  const { recordedAt: _recordedAt, ...rest } = event as EpisodeEvent & { sourceId?: unknown };
  const { sourceId: _sourceId, ...content } = rest as Record<string, unknown>;
  return content;
}

function copyKey(event: EpisodeEvent, json: string): [string, string] {
  // '~' sorts after any ISO timestamp, so a copy without recordedAt never beats one with it.
  return [event.recordedAt ?? '~', json];
}
