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
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.endsWith('}\n')).toBe(true);
    expect(JSON.parse(chunks[0] ?? '')).toEqual({
      time: '2026-03-01T12:00:00.000Z',
      level: 'info',
      msg: 'started',
      port: 8080,
    });
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
    logger.info('real', { msg: 'fake', level: 'error', time: 'then' });
    expect(lines[0]).toMatchObject({
      msg: 'real',
      level: 'info',
      time: NOW.toISOString(),
      field_msg: 'fake',
      field_level: 'error',
    });
  });

  it('logs, rather than throws, on fields JSON.stringify cannot take', () => {
    const { lines, logger } = capture('debug');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => logger.info('odd', { circular, big: 1n })).not.toThrow();
    expect(lines[0]).toMatchObject({ msg: 'odd', level: 'info', circular: { self: '[Circular]' } });
  });
});

describe('the repeat limit', () => {
  it('writes one line of a kind per window, then the next with how many were held back', () => {
    let t = NOW.getTime();
    const log = captureLog();
    const logger = createLogger({
      level: 'info',
      stream: log.stream,
      now: () => new Date(t),
      repeatWindowMs: 10_000,
    });
    const broker = logger.child({ component: 'kafka' });
    // A broker away: the same error 40 times a second for 18.75 s, another once, a warning twice.
    for (let i = 0; i < 750; i++) {
      broker.error('kafka BrokerPool: Connection error: connect ECONNREFUSED', { retry: i });
      if (i === 100) broker.error('kafka Producer: failed to send');
      if (i % 400 === 0) logger.warn('warehouse slow');
      t += 25;
    }
    // The broker back, then away once more later: the line says how many were held back.
    t += 10_000;
    broker.error('kafka BrokerPool: Connection error: connect ECONNREFUSED');
    expect(log.lines.map((l) => [l.msg, l.repeated ?? 0])).toEqual([
      ['kafka BrokerPool: Connection error: connect ECONNREFUSED', 0],
      ['warehouse slow', 0],
      ['kafka Producer: failed to send', 0],
      ['kafka BrokerPool: Connection error: connect ECONNREFUSED', 399],
      ['warehouse slow', 0],
      ['kafka BrokerPool: Connection error: connect ECONNREFUSED', 349],
    ]);
    // Every error is accounted for: written or counted.
    const errors = log.lines.filter((l) => String(l.msg).includes('ECONNREFUSED'));
    expect(errors.reduce((sum, l) => sum + 1 + Number(l.repeated ?? 0), 0)).toBe(751);
    // The same message about another thing is another kind; numbers do not make a new kind.
    logger.error('request failed', { path: '/a', ms: 1 });
    logger.error('request failed', { path: '/b', ms: 2 });
    logger.error('request failed', { path: '/a', ms: 3 });
    logger.error('request failed', { err: new TypeError('x') });
    logger.error('request failed', { err: new RangeError('x') });
    expect(log.lines.filter((l) => l.msg === 'request failed')).toHaveLength(4);
    // Info and debug are never held back.
    for (let i = 0; i < 5; i++) logger.info('tick');
    expect(log.lines.filter((l) => l.msg === 'tick')).toHaveLength(5);
  });
});
