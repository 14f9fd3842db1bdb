/**
 * A structured logger writing one JSON object per line, which container log collectors parse
 * without configuration. Deliberately tiny: four levels, fields, child bindings.
 */

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
  /** Defaults to stdout. */
  stream?: LogStream;
  /** Defaults to the system clock; injectable so tests get stable lines. */
  now?: () => Date;
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** JSON.stringify drops an Error's own fields (it has no enumerable ones) and throws on BigInt. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    if (value.stack !== undefined) out.stack = value.stack;
    if ('code' in value) out.code = value.code;
    if (value.cause !== undefined) out.cause = value.cause;
    return out;
  }
  return value;
}

function serialise(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record, replacer);
  } catch (error) {
    // A circular field must not turn a log call into a thrown error on the request path; the
    // line still says what was logged and why its fields are missing.
    return JSON.stringify({
      time: record.time,
      level: record.level,
      msg: record.msg,
      logError: `fields could not be serialised: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? (() => new Date());
  const threshold = SEVERITY[options.level];

  function bound(bindings: LogFields): Logger {
    function log(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields = {}): void {
      if (SEVERITY[level] < threshold) return;
      const head = { time: now().toISOString(), level, msg };
      // The head is written last as well so that a field named `msg` or `level` cannot mask
      // it, while it still comes first in the line.
      const record = Object.assign({}, head, bindings, fields, head);
      stream.write(`${serialise(record)}\n`);
    }
    return {
      debug: (msg, fields) => log('debug', msg, fields),
      info: (msg, fields) => log('info', msg, fields),
      warn: (msg, fields) => log('warn', msg, fields),
      error: (msg, fields) => log('error', msg, fields),
      child: (more) => bound({ ...bindings, ...more }),
    };
  }

  return bound({});
}
