import type { CatalogEvent } from '@ipt/events';
import { createEventSender } from '@ipt/events/client';
import { simulateNetwork } from '@ipt/simulator';
import { progressBar } from '../cli/progress.js';

/**
 * Loads the simulated demo network through the public ingest path: the same HTTP endpoint,
 * validation and write path as any source, using the demo source key.
 */
export async function seedDemo(options: {
  url: string;
  ingestKey: string;
  seed: number;
  episodes: number;
  clinics: number;
  signal: AbortSignal;
}): Promise<{ accepted: number; rejected: number }> {
  const sender = createEventSender<CatalogEvent>({
    url: `${options.url}/v1/events`,
    apiKey: options.ingestKey,
  });
  const bar = progressBar('demo data', options.episodes);
  let accepted = 0;
  let rejected = 0;
  let started = 0;
  let batch: CatalogEvent[] = [];
  const began = Date.now();
  const flush = async () => {
    const report = await sender.send(batch);
    accepted += report.accepted;
    rejected += report.rejected.length;
    batch = [];
    const rate = Math.round(accepted / Math.max(0.001, (Date.now() - began) / 1000));
    bar.update(started, `episodes, ${rate} events/s`);
  };
  for (const event of simulateNetwork({
    seed: options.seed,
    episodes: options.episodes,
    clinics: options.clinics,
  })) {
    if (options.signal.aborted) break;
    if (event.type === 'episode.started') started += 1;
    batch.push(event);
    if (batch.length === 1000) await flush();
  }
  if (batch.length > 0 && !options.signal.aborted) await flush();
  bar.finish(`${accepted} events accepted, ${rejected} rejected`);
  return { accepted, rejected };
}
