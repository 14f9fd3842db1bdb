import {
  type CatalogEvent,
  MAX_BATCH_EVENTS,
  MAX_BODY_BYTES,
  type RecordedEvent,
} from '@ipt/events';
import express, { Router } from 'express';
import { ingestKeyOf, keyId, requireIngestKey } from '../auth.js';
import type { AppContext } from '../context.js';
import { requireJson } from '../infra/error-handler.js';
import { badRequest, unavailable } from '../infra/http-error.js';
import { rateLimit } from '../infra/rate-limit.js';
import { IngestUnavailableError } from '../ingest/errors.js';
import type { Ingestor } from '../ingest/ingestor.js';
import { ownershipScreen } from '../ingest/ownership.js';
import { recordRejections } from '../ingest/rejections.js';

/**
 * `POST /v1/events` (EVENTS.md). Each event is judged on its own: valid events for clinics the
 * key may write are accepted, the rest come back with their index and per-field errors. Where
 * this process has a warehouse, events for another clinic's episode, and retractions of another
 * clinic's or another episode's events, are refused too (ingest/ownership.ts). The response is
 * sent only once the accepted events are durable and projected.
 */
interface Rejection {
  index: number;
  id: string | null;
  errors: Array<{ path: string; message: string }>;
}

/** How long a source should wait after a 503 before retrying. */
const RETRY_AFTER_SECONDS = 5;

export function eventsRouter(ctx: AppContext, ingestor: Ingestor): Router {
  const router = Router();
  // One screen for every request: the embedded ingestor writes batches that share a screen
  // together (group commit).
  const screen = ctx.warehouse === null ? undefined : ownershipScreen(ctx.warehouse);
  router.post(
    '/v1/events',
    requireIngestKey(ctx.ingestKeys),
    rateLimit(ctx.limiter, keyId),
    requireJson,
    express.json({ limit: MAX_BODY_BYTES, strict: false }),
    async (req, res) => {
      const key = ingestKeyOf(req);
      if (key === undefined) throw new Error('requireIngestKey did not run');
      const events = batchOf(req.body);
      const allowed = new Set(key.clinics);
      const accepted: RecordedEvent[] = [];
      /** The batch index of each accepted event. */
      const indexOf: number[] = [];
      let rejected: Rejection[] = [];
      const recordedAt = ctx.now().toISOString();
      events.forEach((input, index) => {
        const result = ctx.validate(input);
        if (!result.ok) {
          rejected.push({ index, id: idOf(input), errors: result.errors });
          return;
        }
        if (!allowed.has(result.event.clinicId)) {
          rejected.push({
            index,
            id: result.event.id,
            errors: [
              {
                path: 'clinicId',
                message: `this API key may not write events for clinic ${result.event.clinicId}`,
              },
            ],
          });
          return;
        }
        accepted.push(stamp(result.event, recordedAt, key.sourceId));
        indexOf.push(index);
      });

      let acceptedCount = accepted.length;
      if (accepted.length > 0) {
        try {
          const result = await ingestor.ingest(accepted, screen);
          if (result.refused.length > 0) {
            acceptedCount -= result.refused.length;
            rejected = [
              ...rejected,
              ...result.refused.map((r) => {
                const event = accepted[r.index];
                return { index: indexOf[r.index] ?? -1, id: event?.id ?? null, errors: r.errors };
              }),
            ].sort((a, b) => a.index - b.index);
          }
          ctx.metrics.ingestEvents.inc({ outcome: 'duplicate' }, result.duplicates);
          ctx.metrics.projectorEpisodesProjected.inc(result.projected);
        } catch (error) {
          if (error instanceof IngestUnavailableError) {
            const what = error.what === 'log' ? 'event log (Kafka)' : 'warehouse';
            throw unavailable(
              RETRY_AFTER_SECONDS,
              `the ${what} is unavailable; nothing was accepted, retry later`,
              error,
            );
          }
          throw error;
        }
      }
      if (ctx.warehouse !== null) {
        // Each refusal is kept for the clinic it concerns (its clinic's readers see it): the
        // event's clinic when the key may write it, or the key's only clinic.
        const clinicOf = (index: number): string | null => {
          const sent = (events[index] as { clinicId?: unknown } | null)?.clinicId;
          if (typeof sent === 'string' && allowed.has(sent)) return sent;
          return key.clinics.length === 1 ? (key.clinics[0] ?? null) : null;
        };
        await recordRejections(
          ctx.warehouse,
          ctx.logger,
          key.sourceId,
          recordedAt,
          rejected.map((r) => ({ errors: r.errors, clinicId: clinicOf(r.index) })),
        );
      }
      ctx.metrics.ingestBatches.inc();
      ctx.metrics.ingestEvents.inc({ outcome: 'accepted' }, acceptedCount);
      ctx.metrics.ingestEvents.inc({ outcome: 'rejected' }, rejected.length);
      res.json({ accepted: acceptedCount, rejected });
    },
  );
  return router;
}

function batchOf(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body must be a JSON object {"events": [...]}', 'invalid_batch');
  }
  const extra = Object.keys(body).filter((k) => k !== 'events');
  if (extra.length > 0) {
    throw badRequest(
      `unknown top-level field ${extra.map((k) => JSON.stringify(k)).join(', ')}; the body is {"events": [...]}`,
      'invalid_batch',
    );
  }
  const { events } = body as { events?: unknown };
  if (!Array.isArray(events))
    throw badRequest('"events" must be an array of events', 'invalid_batch');
  if (events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    throw badRequest(
      `"events" must hold 1 to ${MAX_BATCH_EVENTS} events, got ${events.length}`,
      'invalid_batch',
    );
  }
  return events;
}

function idOf(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const id = (input as { id?: unknown }).id;
  return typeof id === 'string' && id.length <= 64 ? id : null;
}

function stamp(event: CatalogEvent, recordedAt: string, sourceId: string): RecordedEvent {
  return { ...event, recordedAt, sourceId };
}
