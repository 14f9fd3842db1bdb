/**
 * @fileoverview The JSON-lines logger: one parseable line per call, level threshold, fields and
 * child bindings, errors serialised with their stack, and no throw on unserialisable fields.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger.js';
import { captureLog } from './test-server.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function capture(level: LogLevel) {
  const log = captureLog();
  return { ...log, logger: createLogger({ level, stream: log.stream, now: () => NOW }) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const chunks: string[] = [];
    const logger = createLogger({
      level: 'info',
      stream: { write: (line: string) => chunks.push(line) },
      now: () => NOW,
    });
    logger.info('started', { port: 8080 });
    expect(chunks).toEqual([
      '{"time":"2026-03-01T12:00:00.000Z","level":"info","msg":"started","port":8080}\n',
    ]);
  });

  it('drops lines below the level', () => {
    const { lines, logger } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => line.level)).toEqual(['warn', 'error']);
  });

  it('writes nothing when silent', () => {
    const { lines, logger } = capture('silent');
    logger.error('e');
    expect(lines).toEqual([]);
  });

  it('adds child bindings to every line', () => {
    const { lines, logger } = capture('debug');
    logger.child({ component: 'projector' }).child({ partition: 3 }).info('caught up');
    expect(lines[0]).toMatchObject({ component: 'projector', partition: 3, msg: 'caught up' });
  });

  it('serialises errors with message, stack and cause', () => {
    const { lines, logger } = capture('debug');
    const cause = new Error('connection refused');
    logger.error('failed', { err: new Error('insert failed', { cause }) });
    const err = lines[0]?.err as { message: string; stack: string; cause: { message: string } };
    expect(err.message).toBe('insert failed');
    expect(err.stack).toContain('logger.test');
    expect(err.cause.message).toBe('connection refused');
  });

  it('does not let fields mask the time, level or message', () => {
    const { lines, logger } = capture('debug');
    logger.info('real', { msg: 'fake', level: 'error' });
    expect(lines[0]).toMatchObject({ msg: 'real', level: 'info' });
  });

  it('logs, rather than throws, on fields it cannot serialise', () => {
    const { lines, logger } = capture('debug');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => logger.info('odd', { circular, big: 1n })).not.toThrow();
    expect(lines[0]).toMatchObject({ msg: 'odd', level: 'info' });
    expect(lines[0]?.logError).toMatch(/could not be serialised/);
  });
});
