/**
 * @fileoverview The access log's group commit, against a fake warehouse whose inserts the test
 * releases by hand: a lone read waits for its own insert only, the reads of one tick share an
 * insert, the reads that arrive while an insert is written share the next, and a failed insert
 * refuses exactly the reads it carried (fail closed).
 */
import type { Warehouse } from '@ipt/warehouse';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../access.js';
import { type AccessEntry, createAccessLog } from './access-log.js';

const principal: Principal = { role: 'steward', name: 'auditor' } as Principal;
const entry = (procedure: string): AccessEntry => ({
  principal,
  surface: 'rest',
  procedure,
  filters: {},
  cellsReleased: 1,
  cellsWithheld: 0,
  status: 200,
  durationMs: 1,
});

/** A warehouse whose inserts wait until the test settles them, in order. */
function heldWarehouse() {
  const inserts: Array<{
    procedures: string[];
    settle: (error?: Error) => void;
  }> = [];
  const warehouse = {
    insert: (options: { rows: readonly Record<string, unknown>[] }) =>
      new Promise<void>((resolve, reject) => {
        inserts.push({
          procedures: options.rows.map((r) => String(r.procedure)),
          settle: (error) => (error === undefined ? resolve() : reject(error)),
        });
      }),
  } as unknown as Warehouse;
  return { warehouse, inserts };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setImmediate(r));
};

describe('the access log group commit', () => {
  it('writes a lone read at once, and the reads of one tick together', async () => {
    const { warehouse, inserts } = heldWarehouse();
    const log = createAccessLog(warehouse);
    const lone = log.record(entry('a'));
    // Started on the next turn of the event loop, not after a timer.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(inserts).toHaveLength(1);
    expect(inserts[0]?.procedures).toEqual(['a']);
    inserts[0]?.settle();
    await expect(lone).resolves.toBeUndefined();

    const tick = [log.record(entry('b')), log.record(entry('c')), log.record(entry('d'))];
    await until(() => inserts.length === 2);
    expect(inserts[1]?.procedures).toEqual(['b', 'c', 'd']);
    inserts[1]?.settle();
    await Promise.all(tick);
  });

  it('gathers the reads that arrive during an insert into the next one', async () => {
    const { warehouse, inserts } = heldWarehouse();
    const log = createAccessLog(warehouse);
    const first = log.record(entry('first'));
    await until(() => inserts.length === 1);
    const during = [log.record(entry('x')), log.record(entry('y'))];
    await new Promise((r) => setTimeout(r, 20));
    // Nothing more is written while the first insert is in flight.
    expect(inserts).toHaveLength(1);
    inserts[0]?.settle();
    await first;
    await until(() => inserts.length === 2);
    expect(inserts[1]?.procedures).toEqual(['x', 'y']);
    inserts[1]?.settle();
    await Promise.all(during);
  });

  it('refuses the reads of a failed insert only, and flush waits for what is pending', async () => {
    const { warehouse, inserts } = heldWarehouse();
    const log = createAccessLog(warehouse);
    const failed = log.record(entry('lost'));
    await until(() => inserts.length === 1);
    inserts[0]?.settle(new Error('warehouse away'));
    await expect(failed).rejects.toThrow('warehouse away');
    const kept = log.record(entry('kept'));
    const flushed = log.flush();
    await until(() => inserts.length === 2);
    let done = false;
    void flushed.then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    inserts[1]?.settle();
    await flushed;
    await expect(kept).resolves.toBeUndefined();
    await expect(log.flush()).resolves.toBeUndefined();
  });
});
