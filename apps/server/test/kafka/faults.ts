/**
 * Shared by the broker fault suites: send a stream of batches through the real HTTP API with the
 * source-side client (which retries 503s with backoff and the same ids), counting every status
 * the server answered, while the test breaks and mends brokers in the middle.
 */
import type { CatalogEvent } from '@ipt/events';
import { createEventSender } from '@ipt/events/client';
import { eventLogStats } from '@ipt/warehouse';
import { type Harness, warehouseOf } from '../harness.js';
import { waitFor } from './wait.js';

export async function sendThrough(
  harness: Harness,
  events: readonly CatalogEvent[],
  onBatch: (index: number) => Promise<void>,
): Promise<{ acknowledged: number; statuses: Map<number, number> }> {
  const statuses = new Map<number, number>();
  const counting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    return response;
  };
  const sender = createEventSender<CatalogEvent>({
    url: `${harness.url}/v1/events`,
    apiKey: harness.ingestKey,
    fetch: counting,
    maxAttempts: 60,
    baseDelayMs: 200,
    maxDelayMs: 2_000,
  });
  let acknowledged = 0;
  for (let i = 0, batch = 0; i < events.length; i += 500, batch++) {
    await onBatch(batch);
    const report = await sender.send(events.slice(i, i + 500));
    if (report.rejected.length > 0)
      throw new Error(`rejected: ${JSON.stringify(report.rejected[0])}`);
    acknowledged += report.accepted;
  }
  return { acknowledged, statuses };
}

/**
 * Waits until the in-process projector has committed everything on the topic (offsets are
 * committed only after the warehouse write), then returns the log's counts for the caller to
 * check exactly-once storage.
 */
export async function projectedLogStats(harness: Harness) {
  await waitFor(
    async () => (await harness.running.projector?.lag().catch(() => -1)) ?? -1,
    (lag) => lag === 0,
    { timeoutMs: 180_000, intervalMs: 1000, what: 'the projector to catch up' },
  );
  return eventLogStats(warehouseOf(harness));
}
