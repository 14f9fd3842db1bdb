/**
 * @fileoverview The gateway's protections of the write path against reads, on embedded chDB:
 * a query over its time or memory limit ends with a typed error (never a hang), and statements
 * of a priority section (an ingest batch) run before reads queued earlier, waiting for at most
 * the one read already running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineQuery, Warehouse, WarehouseError } from '../src/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'ipt-gateway-'));
let warehouse: Warehouse;
beforeAll(() => {
  warehouse = new Warehouse({ mode: 'embedded', dataDir }, undefined, {
    maxExecutionSeconds: 1,
    maxMemoryBytes: 64 * 1024 * 1024,
  });
});
afterAll(async () => {
  await warehouse.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const any = z.record(z.string(), z.unknown());
const q = (name: string, sql: string) => defineQuery({ name, sql, params: z.object({}), row: any });

describe('query limits', () => {
  it('ends a query over its time limit with a timeout error', async () => {
    const started = Date.now();
    const error = await warehouse
      .query(q('test.slow', 'SELECT count() FROM numbers_mt(1000000000000)'), {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).kind).toBe('timeout');
    // It ended near its limit, not after the trillion rows.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('ends a query over its memory limit with a memory error', async () => {
    const error = await warehouse
      .query(q('test.big', 'SELECT groupArray(number) AS a FROM numbers(50000000)'), {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).kind).toBe('memory_limit');
  });

  it('still answers ordinary queries', async () => {
    expect(await warehouse.query(q('test.one', 'SELECT 1 AS one'), {})).toEqual([{ one: 1 }]);
  });
});

describe('writes go ahead of queued reads', () => {
  it('runs a priority section before reads queued earlier, behind only the running one', async () => {
    const order: string[] = [];
    const read = (i: number) =>
      warehouse
        .query(q(`test.read${i}`, 'SELECT sum(number) AS s FROM numbers(3000000)'), {})
        .then(() => order.push(`read${i}`));
    const reads = [0, 1, 2, 3, 4].map(read);
    // Queued after five reads; its three statements must not interleave with them.
    const write = warehouse.priority(async () => {
      for (const step of ['a', 'b', 'c']) {
        await warehouse.query(q(`test.write_${step}`, 'SELECT 1 AS one'), {});
        order.push(`write_${step}`);
      }
    });
    await Promise.all([...reads, write]);
    expect(order.slice(0, 4)).toEqual(['read0', 'write_a', 'write_b', 'write_c']);
    expect(order.slice(4).sort()).toEqual(['read1', 'read2', 'read3', 'read4']);
  });

  it('lets reads go on when a priority section fails', async () => {
    await expect(
      warehouse.priority(async () => {
        await warehouse.query(q('test.bad', 'SELECT no_such_column FROM numbers(1)'), {});
      }),
    ).rejects.toBeInstanceOf(WarehouseError);
    expect(await warehouse.query(q('test.after', 'SELECT 2 AS two'), {})).toEqual([{ two: 2 }]);
  });
});
