import { DEFAULT_MIN_CELL_SIZE, MIN_CELL_SIZE_FLOOR } from '@ipt/protocol';
import { z } from 'zod';
import { LOG_LEVELS } from './http/infra/logger.js';

/**
 * The environment, validated once at start. A bad value stops the process with a message that
 * names the variable; nothing falls back silently. A missing CLICKHOUSE_URL is not a fallback
 * but the embedded mode, and the start-up log says so.
 */
const flag = (name: string, fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'], { error: `${name} must be true or false` })
    .default(fallback)
    .transform((value) => value === 'true' || value === '1');

const positiveInt = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be an integer` })
    .min(1, { error: `${name} must be at least 1` })
    .max(max, { error: `${name} must be at most ${max}` })
    .default(fallback);

export const EnvSchema = z.object({
  PORT: z.coerce.number({ error: 'PORT must be a number' }).int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  CLICKHOUSE_URL: z
    .url({ error: 'CLICKHOUSE_URL must be a URL such as http://user:password@host:8123/database' })
    .optional(),
  CLICKHOUSE_CLUSTERED: flag('CLICKHOUSE_CLUSTERED', 'false'),
  /** Comma list of host:port. Set: accepted events go to Kafka (scaled write path). */
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(',')
        .map((b) => b.trim())
        .filter((b) => b.length > 0),
    )
    .refine((list) => list === undefined || list.every((b) => /^[^:\s]+:\d{1,5}$/.test(b)), {
      error: 'KAFKA_BROKERS must be a comma list of host:port',
    }),
  KAFKA_PARTITIONS: positiveInt('KAFKA_PARTITIONS', 6, 1000),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, {
      error: 'KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"',
    })
    .default(''),
  KAFKA_REPLICATION_FACTOR: positiveInt('KAFKA_REPLICATION_FACTOR', 1, 7),
  INGEST_KEYS: z.string().optional(),
  READ_KEYS: z.string().optional(),
  MIN_CELL_SIZE: z.coerce
    .number({ error: 'MIN_CELL_SIZE must be a number' })
    .int({ error: 'MIN_CELL_SIZE must be an integer' })
    .min(MIN_CELL_SIZE_FLOOR, {
      error: `MIN_CELL_SIZE must be at least ${MIN_CELL_SIZE_FLOOR}: smaller cells can identify people`,
    })
    .default(DEFAULT_MIN_CELL_SIZE),
  SEED_DEMO: flag('SEED_DEMO', 'true'),
  /** Serve the dashboard's pages from this process (needs its build); off for API-only use. */
  DASHBOARD: flag('DASHBOARD', 'true'),
  DEMO_EPISODES: positiveInt('DEMO_EPISODES', 20_000, 2_000_000),
  DEMO_CLINICS: positiveInt('DEMO_CLINICS', 50, 10_000),
  DEMO_SEED: z.coerce.number().int().default(1),
  /** Requests per second a key may sustain; bursts up to twice that. */
  RATE_LIMIT_PER_SECOND: positiveInt('RATE_LIMIT_PER_SECOND', 50),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable is the same as an unset one (docker-compose writes `VAR=` for blanks).
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `- ${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
