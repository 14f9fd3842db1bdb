import type { CatalogEvent } from '@ipt/events';
import { createEventSender, MAX_BATCH_EVENTS } from '@ipt/events/client';
import { simulateNetwork } from '@ipt/simulator';
import { progressBar } from '../cli/progress.js';

/** Sources sending at once by default: a network's clinics do not wait for one another. */
export const DEMO_SOURCES = 4;

/**
 * Loads the simulated demo network through the public ingest path: the same HTTP endpoint,
 * validation and write path as any source, using the demo source key. The clinics are shared
 * out among `sources` senders, each sending its clinics' events in order, one batch in flight
 * at a time, as several clinics' systems would. The simulation is streamed: memory holds at
 * most one batch being filled and one being sent per sender.
 */
export async function seedDemo(options: {
  url: string;
  ingestKey: string;
  seed: number;
  episodes: number;
  clinics: number;
  signal: AbortSignal;
  sources?: number;
  /** Draws a progress bar on stderr (default true). */
  progress?: boolean;
}): Promise<{ accepted: number; rejected: number }> {
  const sources = options.sources ?? DEMO_SOURCES;
  if (!Number.isInteger(sources) || sources < 1) {
    throw new Error(`sources must be a whole number from 1, got ${sources}`);
  }
  const sender = createEventSender<CatalogEvent>({
    url: `${options.url}/v1/events`,
    apiKey: options.ingestKey,
  });
  const bar = options.progress === false ? null : progressBar('demo data', options.episodes);
  let accepted = 0;
  let rejected = 0;
  let started = 0;
  const began = Date.now();
  const send = async (batch: CatalogEvent[]) => {
    const report = await sender.send(batch);
    accepted += report.accepted;
    rejected += report.rejected.length;
    const rate = Math.round(accepted / Math.max(0.001, (Date.now() - began) / 1000));
    bar?.update(started, `episodes, ${rate} events/s`);
  };
  const lanes = Array.from({ length: sources }, () => ({
    batch: [] as CatalogEvent[],
    sending: Promise.resolve(),
  }));
  // A failed send stops the load; it is thrown once every sender has finished its batch.
  let failure: { error: unknown } | null = null;
  const launch = (lane: (typeof lanes)[number], batch: CatalogEvent[]) => {
    lane.sending = send(batch).catch((error: unknown) => {
      failure ??= { error };
    });
  };
  const laneOf = new Map<string, (typeof lanes)[number]>();
  for (const event of simulateNetwork({
    seed: options.seed,
    episodes: options.episodes,
    clinics: options.clinics,
  })) {
    if (options.signal.aborted || failure !== null) break;
    if (event.type === 'episode.started') started += 1;
    let lane = laneOf.get(event.clinicId);
    if (lane === undefined) {
      lane = lanes[laneOf.size % sources] ?? lanes[0];
      if (lane === undefined) throw new Error('no sender');
      laneOf.set(event.clinicId, lane);
    }
    lane.batch.push(event);
    if (lane.batch.length === MAX_BATCH_EVENTS) {
      const batch = lane.batch;
      lane.batch = [];
      // One batch in flight per sender: its clinics' events stay in order.
      await lane.sending;
      launch(lane, batch);
    }
  }
  for (const lane of lanes) {
    await lane.sending;
    if (lane.batch.length > 0 && !options.signal.aborted && failure === null) {
      launch(lane, lane.batch);
    }
  }
  await Promise.all(lanes.map((lane) => lane.sending));
  if (failure !== null) throw (failure as { error: unknown }).error;
  bar?.finish(`${accepted} events accepted, ${rejected} rejected`);
  return { accepted, rejected };
}
