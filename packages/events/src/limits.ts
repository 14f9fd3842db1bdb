/** Ingest limits of the contract (EVENTS.md, "POST /v1/events"). */
export const MAX_BATCH_EVENTS = 1000;
/** 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
