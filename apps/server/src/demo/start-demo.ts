import type { Logger } from '@ipt/http';
import { eventLogStats, type Warehouse } from '@ipt/warehouse';
import type { Env } from '../env.js';
import type { DemoKeys } from './demo-keys.js';
import { seedDemo } from './seed.js';

/**
 * The demo at start: the keys printed once, when this start made them, and the simulated
 * network posted through the API when the log is empty. `loaded` resolves when loading is
 * finished (an object, so that awaiting the start does not wait for the load); a stop aborts it.
 */
export async function startDemo(options: {
  env: Env;
  demoKeys: DemoKeys;
  warehouse: Warehouse;
  url: string;
  signal: AbortSignal;
  logger: Logger;
}): Promise<{ loaded: Promise<void> }> {
  const { env, demoKeys, warehouse, url, signal, logger } = options;
  if (demoKeys.created !== null) {
    process.stdout.write(banner(demoKeys, demoKeys.created, url));
  } else {
    logger.info(
      `demo keys: printed at the first start; their hashes are in ${demoKeys.file} (delete it for new keys)`,
    );
  }
  const stats = await eventLogStats(warehouse);
  if (stats.events === 0 && demoKeys.created !== null) {
    const loaded = seedDemo({
      url,
      ingestKey: demoKeys.created.ingestKey,
      seed: env.DEMO_SEED,
      episodes: env.DEMO_EPISODES,
      clinics: env.DEMO_CLINICS,
      signal,
    }).then(
      (result) => logger.info('demo data loaded', result),
      (error: unknown) => logger.error('demo data failed to load', { error: String(error) }),
    );
    return { loaded };
  }
  if (stats.events === 0) {
    logger.warn(
      `the warehouse is empty but the demo keys already exist; delete ${demoKeys.file} to load demo data again`,
    );
  }
  return { loaded: Promise.resolve() };
}

/** The keys a new demo made, shown once: their hashes alone are kept. */
function banner(
  demoKeys: DemoKeys,
  created: NonNullable<DemoKeys['created']>,
  url: string,
): string {
  return `${[
    '',
    `Demo keys (shown once; their hashes are kept in ${demoKeys.file}):`,
    `  ${'source key (POST /v1/events, every demo clinic)'.padEnd(47)}: ${created.ingestKey}`,
    `  ${'  its clinics'.padEnd(47)}: ${demoClinicList(demoKeys.ingest.clinics)}`,
    ...created.readKeys.map(({ entry, key }) => {
      const clinics = entry.clinics === undefined ? '' : ` (${entry.clinics.join(', ')})`;
      return `  ${`${entry.role} read key${clinics}`.padEnd(47)}: ${key}`;
    }),
    '',
    `Sign in to the dashboard at ${url}/sign-in with the steward read key.`,
    '',
  ].join('\n')}\n`;
}

/** The demo clinic codes a source key may write, short enough for one line of the banner. */
function demoClinicList(clinics: readonly string[]): string {
  return clinics.length <= 4
    ? clinics.join(', ')
    : `${clinics.slice(0, 3).join(', ')}, ... ${clinics.at(-1)} (${clinics.length} clinics)`;
}
