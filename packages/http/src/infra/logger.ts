/**
 * The service's structured logger: pino, one JSON object per line (`time` ISO 8601, `level` by
 * name, `msg`), which container log collectors parse without configuration. Call sites keep a
 * small interface of their own (`info(msg, fields)`), so the library stays behind this file.
 *
 * A dependency that is away (the Kafka broker, a ClickHouse server) makes its clients fail the
 * same way many times a second. Warnings and errors are therefore rate-limited by message: the
 * first line of a kind is written, the same kind again within REPEAT_WINDOW_MS is counted
 * instead, and the next line written of that kind carries `repeated`: how many were held back.
 * A kind is the level, the message and the fields that name things (strings, an error's type and
 * message); numbers (retry counts, timings, ids) do not make a new kind.
 */
import { pino, stdSerializers } from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line, e.g. `{ component: 'projector' }`. */
  child(bindings: LogFields): Logger;
}

export interface LogStream {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Defaults to stdout, written synchronously (a crash loses no line). */
  stream?: LogStream;
  /** Defaults to the system clock; injectable so tests get stable lines. */
  now?: () => Date;
  /** The window of the repeat limit; default REPEAT_WINDOW_MS. */
  repeatWindowMs?: number;
}

/** One line per kind of warning or error in this window; the rest are counted. */
export const REPEAT_WINDOW_MS = 10_000;

/** Keys pino writes itself: a field of the same name would shadow them in the parsed line. */
const RESERVED = new Set(['time', 'level', 'msg']);

export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  const window = options.repeatWindowMs ?? REPEAT_WINDOW_MS;
  const root = pino(
    {
      level: options.level,
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      serializers: {
        err: stdSerializers.errWithCause,
        error: stdSerializers.errWithCause,
        cause: stdSerializers.errWithCause,
      },
    },
    options.stream ?? pino.destination({ dest: 1, sync: true }),
  );
  // Shared by every child: the same failure logged by two components is still one kind.
  const repeats = new Map<string, { since: number; held: number }>();

  /** Whether to write this warning or error now, and how many like it were held back. */
  const admit = (key: string): { write: boolean; held: number } => {
    const t = now().getTime();
    const seen = repeats.get(key);
    if (seen !== undefined && t - seen.since < window) {
      seen.held += 1;
      return { write: false, held: 0 };
    }
    repeats.set(key, { since: t, held: 0 });
    if (repeats.size > 1000) repeats.delete(repeats.keys().next().value as string);
    return { write: true, held: seen?.held ?? 0 };
  };

  function wrap(target: pino.Logger): Logger {
    const clean = (fields: LogFields | undefined): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields ?? {})) {
        out[RESERVED.has(key) ? `field_${key}` : key] = value;
      }
      return out;
    };
    const limited =
      (level: 'warn' | 'error') =>
      (msg: string, fields?: LogFields): void => {
        if (!target.isLevelEnabled(level)) return;
        const { write, held } = admit(kindOf(level, msg, fields));
        if (!write) return;
        const record = clean(fields);
        if (held > 0) record.repeated = held;
        target[level](record, msg);
      };
    return {
      debug: (msg, fields) => target.debug(clean(fields), msg),
      info: (msg, fields) => target.info(clean(fields), msg),
      warn: limited('warn'),
      error: limited('error'),
      child: (bindings) => wrap(target.child(clean(bindings))),
    };
  }
  return wrap(root);
}

/** The kind of a warning or error, for the repeat limit. */
function kindOf(level: string, msg: string, fields: LogFields | undefined): string {
  const parts = [level, msg];
  for (const key of Object.keys(fields ?? {}).sort()) {
    const value = fields?.[key];
    if (key === 'stack') continue;
    if (typeof value === 'string') parts.push(`${key}=${value}`);
    else if (value instanceof Error) parts.push(`${key}=${value.name}: ${value.message}`);
  }
  return parts.join('\0');
}
