import { LOG_LEVELS } from '@ipt/http';
import {
  DEFAULT_MIN_CELL_SIZE,
  DEFAULT_NOISE,
  MAX_NOISE,
  MIN_CELL_SIZE_FLOOR,
} from '@ipt/protocol';
import { DEFAULT_SIMULATION } from '@ipt/simulator';
import { z } from 'zod';

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
  /**
   * The noise D of protected numbers: each protected count moves by a whole number from -D to
   * D, chosen by its cell key (docs/outcomes.md, "Disclosure control"). 0 is refused.
   */
  DISCLOSURE_NOISE: z.coerce
    .number({ error: 'DISCLOSURE_NOISE must be a number' })
    .int({ error: 'DISCLOSURE_NOISE must be an integer' })
    .min(1, {
      error:
        'DISCLOSURE_NOISE must be at least 1: without noise, two protected questions that differ by a few episodes give their count exactly',
    })
    .max(MAX_NOISE, { error: `DISCLOSURE_NOISE must be at most ${MAX_NOISE}` })
    .default(DEFAULT_NOISE),
  /** Distinct cohorts a protected reader may ask of per UTC day; past it, 429. */
  COHORT_BUDGET_PER_DAY: z.coerce
    .number({ error: 'COHORT_BUDGET_PER_DAY must be a number' })
    .int({ error: 'COHORT_BUDGET_PER_DAY must be an integer' })
    .min(1, { error: 'COHORT_BUDGET_PER_DAY must be at least 1' })
    .max(1000, {
      error:
        'COHORT_BUDGET_PER_DAY must be at most 1000: every distinct cohort is one more look at the noise, and enough looks average it away',
    })
    .default(50),
  /**
   * The record-key secret (base64url, >= 32 bytes). Required with CLICKHOUSE_URL; in embedded
   * mode it is generated into DATA_DIR at the first start.
   */
  RECORD_KEY_SECRET: z.string().optional(),
  SEED_DEMO: flag('SEED_DEMO', 'true'),
  /** Serve the dashboard's pages from this process (needs its build); off for API-only use. */
  DASHBOARD: flag('DASHBOARD', 'true'),
  // The demo network is the simulator's default network, the one the test suites call "the demo
  // network" (packages/api/test/breakdown-utility-demo.test.ts).
  DEMO_EPISODES: positiveInt('DEMO_EPISODES', DEFAULT_SIMULATION.episodes, 2_000_000),
  DEMO_CLINICS: positiveInt('DEMO_CLINICS', DEFAULT_SIMULATION.clinics, 10_000),
  DEMO_SEED: z.coerce.number().int().default(DEFAULT_SIMULATION.seed),
  /** Requests per second a key may sustain; bursts up to twice that. */
  RATE_LIMIT_PER_SECOND: positiveInt('RATE_LIMIT_PER_SECOND', 50),
  /** Read calls per second a reader may sustain (REST and tRPC calls); bursts to twice that. */
  READ_RATE_LIMIT_PER_SECOND: positiveInt('READ_RATE_LIMIT_PER_SECOND', 10).refine(
    // A batch of 10 calls costs 10 tokens; the burst (twice the rate) must hold one.
    (rate) => rate * 2 >= 10,
    {
      error:
        'READ_RATE_LIMIT_PER_SECOND must be at least 5: a burst must hold one batch of 10 calls',
    },
  ),
  /** Time limit of one warehouse query (ClickHouse max_execution_time). */
  QUERY_TIMEOUT_SECONDS: positiveInt('QUERY_TIMEOUT_SECONDS', 30, 3600),
  /** Memory limit of one warehouse query (ClickHouse max_memory_usage), MiB. */
  QUERY_MAX_MEMORY_MB: positiveInt('QUERY_MAX_MEMORY_MB', 4096, 1_048_576),
  /**
   * Host names the dashboard answers for (a guard against DNS rebinding). Default: the
   * loopback names and HOST; required when HOST is 0.0.0.0 or another wildcard.
   */
  ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h.length > 0),
    )
    .refine(
      (list) => list === undefined || list.every((h) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(h)),
      {
        error:
          'ALLOWED_HOSTS must be a comma list of host names without ports, e.g. ipt.example.org,localhost',
      },
    ),
  /** Dashboard sessions end after this long without a request... */
  SESSION_IDLE_MINUTES: positiveInt('SESSION_IDLE_MINUTES', 30, 24 * 60),
  /** ...and this long after sign-in, whatever happens. */
  SESSION_MAX_HOURS: positiveInt('SESSION_MAX_HOURS', 12, 24 * 30),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto (Secure cookies) and -For. */
  TRUST_PROXY: flag('TRUST_PROXY', 'false'),
  /** OpenID Connect sign-in for the dashboard (all of issuer, client id and redirect URL). */
  OIDC_ISSUER: z
    .url({ error: 'OIDC_ISSUER must be the issuer URL of the OpenID provider' })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Absent for a public client (PKCE alone). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z
    .url({ error: 'OIDC_REDIRECT_URL must be a URL ending in /auth/oidc/callback' })
    .refine((url) => new URL(url).pathname === '/auth/oidc/callback', {
      error: 'OIDC_REDIRECT_URL must end in /auth/oidc/callback (the route that completes sign-in)',
    })
    .optional(),
  OIDC_SCOPES: z.string().default('openid profile'),
  /** The claim that names the reader's role: steward, clinic or researcher. */
  OIDC_ROLE_CLAIM: z.string().min(1).default('ipt_role'),
  /** The claim that lists a clinic reader's clinics (an array, or a space/comma list). */
  OIDC_CLINICS_CLAIM: z.string().min(1).default('ipt_clinics'),
  /**
   * The claim that identifies the reader (cohort ownership, rate limits, the access log): it
   * must be unique and stable at the provider. `sub` always is; `email` or `preferred_username`
   * only where the provider guarantees it.
   */
  OIDC_NAME_CLAIM: z.string().min(1).default('sub'),
  OIDC_DISPLAY_NAME: z.string().min(1).max(60).default('single sign-on'),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

/** The OpenID Connect settings, or undefined when OIDC_ISSUER is not set. */
export function oidcSettings(env: Env) {
  if (env.OIDC_ISSUER === undefined) {
    const stray = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const).filter(
      (name) => env[name] !== undefined,
    );
    if (stray.length > 0) {
      throw new ConfigError(
        `${stray.join(', ')} set without OIDC_ISSUER: set the issuer too, or none`,
      );
    }
    return undefined;
  }
  if (env.OIDC_CLIENT_ID === undefined || env.OIDC_REDIRECT_URL === undefined) {
    throw new ConfigError('OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_REDIRECT_URL');
  }
  if (!env.OIDC_SCOPES.split(/\s+/).includes('openid')) {
    throw new ConfigError('OIDC_SCOPES must include openid');
  }
  return {
    issuer: new URL(env.OIDC_ISSUER),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUrl: new URL(env.OIDC_REDIRECT_URL),
    scopes: env.OIDC_SCOPES,
    roleClaim: env.OIDC_ROLE_CLAIM,
    clinicsClaim: env.OIDC_CLINICS_CLAIM,
    nameClaim: env.OIDC_NAME_CLAIM,
    displayName: env.OIDC_DISPLAY_NAME,
  };
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The host names the dashboard answers for: ALLOWED_HOSTS, or loopback and HOST. */
export function allowedHosts(env: Env): string[] {
  if (env.ALLOWED_HOSTS !== undefined) return env.ALLOWED_HOSTS;
  if (WILDCARD_HOSTS.has(env.HOST)) {
    throw new ConfigError(
      `HOST=${env.HOST} listens on every interface: set ALLOWED_HOSTS to the host names users reach the dashboard by (e.g. ipt.example.org)`,
    );
  }
  return [...new Set(['localhost', '127.0.0.1', '[::1]', env.HOST.toLowerCase()])];
}

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
