#!/usr/bin/env node
/**
 * `ipt-simulate`: writes a synthetic network's events to stdout as NDJSON, one v1 event a line,
 * in arrival order. Streams with back-pressure, so a 1M-episode run never holds the network.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { DEFAULT_SIMULATION, simulateNetwork } from './index.js';

const USAGE = `Usage: ipt-simulate [--seed N] [--episodes N] [--clinics N] [--until YYYY-MM-DD] [--in-order]

  --seed      PRNG seed; the same seed gives the same events (default ${DEFAULT_SIMULATION.seed})
  --episodes  episodes to generate (default ${DEFAULT_SIMULATION.episodes})
  --clinics   clinics in the network (default ${DEFAULT_SIMULATION.clinics})
  --until     the simulated "today"; later events have not happened (default ${DEFAULT_SIMULATION.until})
  --in-order  emit each episode's events in time order, without late, shuffled or repeated events
`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed))
    throw new Error(`--${name} must be an integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      episodes: { type: 'string' },
      clinics: { type: 'string' },
      until: { type: 'string' },
      'in-order': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const events = simulateNetwork({
    seed: integer('seed', values.seed, DEFAULT_SIMULATION.seed),
    episodes: integer('episodes', values.episodes, DEFAULT_SIMULATION.episodes),
    clinics: integer('clinics', values.clinics, DEFAULT_SIMULATION.clinics),
    until: values.until ?? DEFAULT_SIMULATION.until,
    ...(values['in-order'] ? { arrival: false as const } : {}),
  });
  let chunk = '';
  for (const event of events) {
    chunk += `${JSON.stringify(event)}\n`;
    if (chunk.length > 64 * 1024) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      chunk = '';
    }
  }
  process.stdout.write(chunk);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ipt-simulate: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
  );
  process.exitCode = 2;
});
