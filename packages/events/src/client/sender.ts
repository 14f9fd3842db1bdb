/**
 * The clinic-side sender for `POST /v1/events`. It splits a list into requests the contract
 * allows, and retries what is worth retrying. Retries are safe only because each batch is sent
 * again byte for byte: the same event ids, which the ingest stores once however often they come.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type PreparedBatch, prepareBatches } from './batch.js';
import {
  type IngestErrorContext,
  IngestRequestError,
  IngestResponseError,
  IngestUnavailableError,
} from './errors.js';
import { type BatchAcceptance, parseAcceptance, parseErrorBody } from './ingest-response.js';
import type { RejectedEvent, SendReport } from './report.js';
import { isRetryableStatus, retryDelayMs } from './retry.js';
import { parseRetryAfter } from './retry-after.js';

export interface EventSenderOptions {
  /** The full ingest URL, e.g. `https://ingest.example.org/v1/events`. */
  readonly url: string | URL;
  /** The source's API key, sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Requests per batch before giving up, the first included. Default 6. */
  readonly maxAttempts?: number;
  /** Backoff ceiling of the first retry, doubling after. Default 250 ms. */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts, `Retry-After` included. Default 30 s. */
  readonly maxDelayMs?: number;
  /** Per-attempt limit on the whole exchange, response body included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Default: `setTimeout` from `node:timers/promises`; injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

export interface EventSender<E extends { readonly id: string }> {
  /**
   * Sends the events in order, in batches of at most 1000 events and 1 MiB. Resolves once every
   * batch got a 200; events the ingest rejected are listed, with their index in `events`.
   * Throws an `IngestRequestError`, `IngestUnavailableError` or `IngestResponseError`.
   */
  send(events: readonly E[]): Promise<SendReport>;
}

/** The result of one HTTP attempt, before deciding whether to wait and try again. */
type AttemptOutcome =
  | { readonly kind: 'accepted'; readonly acceptance: BatchAcceptance }
  | {
      readonly kind: 'retry';
      readonly status: number | undefined;
      readonly retryAfterMs: number | undefined;
      readonly cause: unknown;
    }
  | { readonly kind: 'refused'; readonly status: number; readonly body: string }
  | { readonly kind: 'malformed'; readonly status: number; readonly problem: string };

export function createEventSender<E extends { readonly id: string } = { readonly id: string }>(
  options: EventSenderOptions,
): EventSender<E> {
  const url = ingestUrl(options.url);
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '' || /\s/.test(apiKey)) {
    throw new Error('The API key must be a non-empty string without whitespace');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 6);
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 30_000);
  const backoff = {
    baseDelayMs: nonNegative('baseDelayMs', options.baseDelayMs ?? 250),
    maxDelayMs: nonNegative('maxDelayMs', options.maxDelayMs ?? 30_000),
    random: options.random ?? Math.random,
  };
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const headers = {
    authorization: `Bearer ${apiKey}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };

  async function attempt(batch: PreparedBatch<E>): Promise<AttemptOutcome> {
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers,
        body: batch.body,
        // A redirect would resend the key and body somewhere unplanned; treat it as a refusal.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const cause = isTimeout(error)
        ? new Error(`The request timed out after ${timeoutMs} ms`, { cause: error })
        : error;
      return { kind: 'retry', status: undefined, retryAfterMs: undefined, cause };
    }
    const { status } = response;
    if (isRetryableStatus(status)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const cause = new Error(`The ingest answered HTTP ${status}`);
      return { kind: 'retry', status, retryAfterMs, cause };
    }
    if (!response.ok) return { kind: 'refused', status, body: text };
    const parsed = parseAcceptance(
      text,
      batch.events.map((event) => event.id),
    );
    return parsed.ok
      ? { kind: 'accepted', acceptance: parsed.value }
      : { kind: 'malformed', status, problem: parsed.problem };
  }

  async function send(events: readonly E[]): Promise<SendReport> {
    const batches = prepareBatches(events);
    const report: SendReport = { accepted: 0, rejected: [], batches: 0, attempts: 0 };
    for (const batch of batches) {
      const context = (cause?: unknown): IngestErrorContext => ({
        progress: { ...report, rejected: [...report.rejected] },
        resumeFrom: batch.start,
        cause,
      });
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        report.attempts += 1;
        const outcome = await attempt(batch);
        if (outcome.kind === 'accepted') {
          report.accepted += outcome.acceptance.accepted;
          report.rejected.push(...outcome.acceptance.rejected.map((r) => shift(r, batch.start)));
          report.batches += 1;
          break;
        }
        if (outcome.kind === 'refused') {
          throw new IngestRequestError(outcome.status, parseErrorBody(outcome.body), context());
        }
        if (outcome.kind === 'malformed') {
          throw new IngestResponseError(outcome.status, outcome.problem, context());
        }
        if (attemptNumber >= maxAttempts) {
          throw new IngestUnavailableError(attemptNumber, outcome.status, context(outcome.cause));
        }
        await sleep(retryDelayMs(attemptNumber, outcome.retryAfterMs, backoff));
      }
    }
    return report;
  }

  return { send };
}

/** Moves a rejection's batch index to the caller's list. */
function shift(rejected: RejectedEvent, start: number): RejectedEvent {
  return { ...rejected, index: rejected.index + start };
}

/** `AbortSignal.timeout` rejects with a DOMException named `TimeoutError`. */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** Fails at construction, not at the first send, on a URL that fetch could never use. */
function ingestUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new Error(`The ingest URL ${JSON.stringify(String(value))} is not a valid URL`, {
      cause: error,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`The ingest URL must be http(s), got ${url.protocol}`);
  }
  return url;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of at least 0, got ${value}`);
  }
  return value;
}
