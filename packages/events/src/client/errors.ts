/**
 * Typed failures of a send. Callers branch on the class (and `status`/`code`), never on message
 * text. Each carries `progress` and `resumeFrom`, because earlier batches may already be stored:
 * resending from `resumeFrom` (or everything, since the ingest dedupes on `id`) is safe.
 */
import type { SendReport } from './report.js';

export interface IngestErrorContext {
  /** Batches completed before the failure, and every request made including failed ones. */
  readonly progress: SendReport;
  /** Index in the caller's list of the first event of the batch that failed. */
  readonly resumeFrom: number;
  readonly cause?: unknown;
}

/** Base class, for callers that handle every send failure the same way. */
export class IngestError extends Error {
  override readonly name: string = 'IngestError';
  readonly progress: SendReport;
  readonly resumeFrom: number;

  constructor(message: string, context: IngestErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.progress = context.progress;
    this.resumeFrom = context.resumeFrom;
  }
}

/**
 * The ingest refused the request itself (400, 401, 413, 415, other 4xx, or a redirect). Sending
 * it again unchanged would get the same answer, so it is not retried.
 */
export class IngestRequestError extends IngestError {
  override readonly name: string = 'IngestRequestError';
  readonly status: number;
  /** `error.code` from the server's JSON error body, when it sent one. */
  readonly code: string | undefined;
  /** `error.message` from the server's JSON error body, when it sent one. */
  readonly serverMessage: string | undefined;

  constructor(
    status: number,
    body: { readonly code?: string; readonly message?: string },
    context: IngestErrorContext,
  ) {
    const detail = body.code === undefined ? '' : ` ${body.code}`;
    const text = body.message === undefined ? '' : `: ${body.message}`;
    super(`The ingest refused the request with HTTP ${status}${detail}${text}`, context);
    this.status = status;
    this.code = body.code;
    this.serverMessage = body.message;
  }
}

/**
 * The ingest could not be reached or stayed unavailable (network errors, timeouts, 429, 5xx)
 * for every allowed attempt. `cause` holds the last failure.
 */
export class IngestUnavailableError extends IngestError {
  override readonly name: string = 'IngestUnavailableError';
  /** Status of the last answer, or `undefined` if the last attempt got no HTTP answer. */
  readonly status: number | undefined;
  /** Attempts made for the failing batch. */
  readonly attempts: number;

  constructor(attempts: number, status: number | undefined, context: IngestErrorContext) {
    const last = status === undefined ? 'no answer' : `HTTP ${status}`;
    super(`The ingest was unavailable after ${attempts} attempts (last: ${last})`, context);
    this.status = status;
    this.attempts = attempts;
  }
}

/**
 * The ingest answered 2xx with a body that is not the contract's `{accepted, rejected}`. The
 * batch may or may not be stored; this is a server or proxy fault, not one to retry blindly.
 */
export class IngestResponseError extends IngestError {
  override readonly name: string = 'IngestResponseError';
  readonly status: number;

  constructor(status: number, problem: string, context: IngestErrorContext) {
    super(`The ingest answered HTTP ${status} with an unexpected body: ${problem}`, context);
    this.status = status;
  }
}
