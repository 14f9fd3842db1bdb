// Covers the rows kept for refused events (the data-quality page's "rejections"): the first
// error's catalog path and a fixed message, never the name of an unknown field, a clinic code or
// a refused value sent by the source; and that a warehouse failure is logged, not thrown.
import { createEventValidator } from '@ipt/events';
import {
  FIXED_NOW,
  IDENTIFYING_CORPUS,
  PSEUDONYM_CORPUS,
  SAMPLES,
  variantOf,
} from '@ipt/events/testing';
import type { Warehouse } from '@ipt/warehouse';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../infra/logger.js';
import {
  CLINIC_NOT_ALLOWED_STORED,
  recordRejections,
  rejectionRows,
  storedRejection,
} from './rejections.js';

const validate = createEventValidator({ now: FIXED_NOW });
const AT = '2026-06-15T12:00:00.123Z';

/** A refusal as the route builds it from validateEvent. */
function refusalOf(input: unknown) {
  const result = validate(input);
  if (result.ok) throw new Error('expected a rejection');
  return { errors: result.errors };
}

describe('rejectionRows', () => {
  it('keeps the first error of each refused event, with the time and source', () => {
    const bad = variantOf(SAMPLES['phq9.recorded'], (d) => {
      d.payload.items = [0, 1, 2, 4, 0, 0, 0, 0, 0];
    });
    expect(rejectionRows('src-1', AT, [refusalOf(bad), { errors: [] }])).toEqual([
      {
        received_at: '2026-06-15 12:00:00.123',
        source_id: 'src-1',
        path: 'payload.items.3',
        message: 'must be an integer from 0 to 3',
      },
      { received_at: '2026-06-15 12:00:00.123', source_id: 'src-1', path: '', message: 'rejected' },
    ]);
  });

  it('stores an unknown field as "(unknown field)" with a fixed message', () => {
    const input = variantOf(SAMPLES['episode.started'], (d) => {
      d.payload['Jane Doe 12 High St'] = true;
    });
    const refusal = refusalOf(input);
    // The source is told its own field's name...
    expect(refusal.errors[0]?.path).toBe('payload.Jane Doe 12 High St');
    // ...the table is not.
    expect(rejectionRows('src-1', AT, [refusal])).toEqual([
      {
        received_at: '2026-06-15 12:00:00.123',
        source_id: 'src-1',
        path: 'payload.(unknown field)',
        message: 'unknown field: objects are strict',
      },
    ]);
    expect(storedRejection([{ path: 'Jane Doe', message: 'unknown field: whatever' }])).toEqual({
      path: '(unknown field)',
      message: 'unknown field: objects are strict',
    });
  });

  it('stores the refusal of a clinic the key may not write without the clinic sent', () => {
    const stored = storedRejection([
      {
        path: 'clinicId',
        message: 'this API key may not write events for clinic jane-doe-1984',
      },
    ]);
    expect(stored).toEqual({ path: 'clinicId', message: CLINIC_NOT_ALLOWED_STORED });
    expect(JSON.stringify(stored)).not.toContain('jane');
  });

  it('stores nothing of the identifying corpus that the source wrote', () => {
    const rows = rejectionRows(
      'src-1',
      AT,
      IDENTIFYING_CORPUS.map(([, input]) => refusalOf(input)),
    );
    expect(rows).toHaveLength(IDENTIFYING_CORPUS.length);
    const text = JSON.stringify(rows);
    for (const fragment of ['Jane', 'jane', 'Doe', 'husband', 'High St', '9434765919']) {
      expect(text).not.toContain(fragment);
    }
    for (const { value } of PSEUDONYM_CORPUS) {
      for (const part of [value, ...value.split(/[^A-Za-z0-9]+/).filter((p) => p.length >= 4)]) {
        expect(text).not.toContain(part);
      }
    }
    const paths = new Set(rows.map((row) => row.path));
    expect([...paths].sort()).toEqual([
      '(unknown field)',
      'clientId',
      'episodeId',
      'occurredOn',
      'payload.(unknown field)',
      'payload.ageBand',
      'payload.therapistId',
    ]);
  });

  it('keeps the clinic of a refused event only when the route gives it', () => {
    const errors = [{ path: 'payload.items.3', message: 'must be an integer from 0 to 3' }];
    const [withClinic, without] = rejectionRows('src-1', AT, [
      { errors, clinicId: 'north-clinic-01' },
      { errors, clinicId: null },
    ]);
    expect(withClinic?.clinic_id).toBe('north-clinic-01');
    expect(without).not.toHaveProperty('clinic_id');
  });

  it('bounds the path and message to their columns', () => {
    const [row] = rejectionRows('src-1', AT, [
      { errors: [{ path: 'payload.items.3', message: 'x'.repeat(1000) }] },
    ]);
    expect(row?.message).toHaveLength(300);
  });
});

describe('recordRejections', () => {
  const logger = () => ({ error: vi.fn(), info: vi.fn(), warn: vi.fn() }) as unknown as Logger;
  /** The write path's priority section: a pass-through on this fake. */
  const priority = async <T>(work: () => Promise<T>) => work();

  it('inserts the rows into the rejections table, and nothing for no rejection', async () => {
    const insert = vi.fn(async () => {});
    const warehouse = { insert, priority } as unknown as Warehouse;
    await recordRejections(warehouse, logger(), 'src-1', AT, []);
    expect(insert).not.toHaveBeenCalled();
    const refusal = { errors: [{ path: 'payload.notes', message: 'unknown field: free text' }] };
    await recordRejections(warehouse, logger(), 'src-1', AT, [refusal]);
    expect(insert).toHaveBeenCalledWith({
      name: 'rejections.record',
      table: 'rejections',
      rows: rejectionRows('src-1', AT, [refusal]),
    });
  });

  it('logs a warehouse failure instead of throwing', async () => {
    const warehouse = {
      insert: vi.fn(async () => {
        throw new Error('down');
      }),
      priority,
    } as unknown as Warehouse;
    const log = logger();
    await expect(
      recordRejections(warehouse, log, 'src-1', AT, [{ errors: [] }]),
    ).resolves.toBeUndefined();
    expect(log.error).toHaveBeenCalledWith('could not record rejections', {
      count: 1,
      error: 'Error: down',
    });
  });
});
