import { defineQuery, groupCommit, type Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import type { AccessLogRow } from '../types.js';

export type { AccessLogRow };

import type { Principal } from '../access.js';
import { assertCan } from '../capabilities.js';

/**
 * The access log: every read and export, who asked, what, and with what result; never the
 * numbers. An answer is released only once its entry is written (fail closed: a read that
 * cannot be logged is not answered). Entries are group-committed (@ipt/warehouse groupCommit):
 * logging costs one statement per burst, not per read, and a lone read no more than its own
 * insert.
 */
export interface AccessEntry {
  principal: Principal;
  surface: 'rest' | 'csv' | 'trpc' | 'cli';
  procedure: string;
  /** The question (filters, grouping, options) as given; never results. */
  filters: unknown;
  cellsReleased: number;
  cellsWithheld: number;
  status: number;
  durationMs: number;
}

export interface AccessLog {
  /** Resolves once the entry is stored; rejects when it could not be. */
  record(entry: AccessEntry): Promise<void>;
  /** Writes what is pending (at stop). */
  flush(): Promise<void>;
}

const MAX_FILTERS_CHARS = 2_000;

export function createAccessLog(
  warehouse: Warehouse,
  now: () => Date = () => new Date(),
): AccessLog {
  // The entries of one turn (a tRPC batch) start one insert together; the entries that arrive
  // while it is written share the next.
  const commits = groupCommit<Record<string, unknown>, void>({
    gatherTurn: true,
    async write(rows) {
      await warehouse.insert({ name: 'access_log.append', table: 'access_log', rows: [...rows] });
      return rows.map(() => undefined);
    },
  });
  return {
    record: (entry) => commits.submit(toRow(entry, now())),
    flush: () => commits.drain(),
  };
}

function toRow(entry: AccessEntry, at: Date): Record<string, unknown> {
  const filters = JSON.stringify(entry.filters ?? {}) ?? '{}';
  return {
    at: at.toISOString().replace('T', ' ').replace('Z', ''),
    principal: entry.principal.name,
    role: entry.principal.role,
    via: entry.principal.via,
    surface: entry.surface,
    procedure: entry.procedure.slice(0, 100),
    filters:
      filters.length > MAX_FILTERS_CHARS ? `${filters.slice(0, MAX_FILTERS_CHARS)}…` : filters,
    cells_released: entry.cellsReleased,
    cells_withheld: entry.cellsWithheld,
    status: entry.status,
    duration_ms: Math.max(0, Math.round(entry.durationMs)),
  };
}

/**
 * Cells in an answer: every object that says whether it was suppressed is one cell, released
 * or withheld. Walks any result shape, so a new procedure is counted without code here.
 */
export function countCells(result: unknown): { released: number; withheld: number } {
  const counts = { released: 0, withheld: 0 };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.suppressed === 'boolean') {
      if (record.suppressed) counts.withheld++;
      else counts.released++;
    }
    for (const child of Object.values(record)) walk(child);
  };
  walk(result);
  return counts;
}

export const AccessLogQuery = z.strictObject({
  principal: z.string().max(160).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type AccessLogQuery = z.input<typeof AccessLogQuery>;

const accessRow = z.object({
  at: z.string(),
  principal: z.string(),
  role: z.string(),
  via: z.string(),
  surface: z.string(),
  procedure: z.string(),
  filters: z.string(),
  cells_released: z.coerce.number(),
  cells_withheld: z.coerce.number(),
  status: z.coerce.number(),
  duration_ms: z.coerce.number(),
});

/** The log, newest first, for the steward only. */
export async function readAccessLog(
  warehouse: Warehouse,
  principal: Principal,
  query: AccessLogQuery,
): Promise<AccessLogRow[]> {
  assertCan(principal, 'accessLog:read');
  const q = AccessLogQuery.parse(query);
  const where = ['1 = 1'];
  const params: Record<string, unknown> = { limit: q.limit };
  if (q.principal !== undefined) {
    where.push('principal = {principal:String}');
    params.principal = q.principal;
  }
  if (q.from !== undefined) {
    where.push('at >= toDateTime64({from:Date}, 3)');
    params.from = q.from;
  }
  if (q.to !== undefined) {
    where.push('at < toDateTime64({to:Date} + 1, 3)');
    params.to = q.to;
  }
  const rows = await warehouse.query(
    defineQuery({
      name: 'access_log.read',
      sql: `SELECT toString(at) AS at, principal, role, via, surface, procedure, filters, cells_released, cells_withheld, status, duration_ms FROM access_log WHERE ${where.join(' AND ')} ORDER BY at DESC LIMIT {limit:UInt32}`,
      params: z.record(z.string(), z.unknown()),
      row: accessRow,
    }),
    params,
  );
  return rows.map((r) => ({
    at: `${r.at.replace(' ', 'T')}Z`,
    principal: r.principal,
    role: r.role,
    via: r.via,
    surface: r.surface,
    procedure: r.procedure,
    filters: r.filters,
    cellsReleased: r.cells_released,
    cellsWithheld: r.cells_withheld,
    status: r.status,
    durationMs: r.duration_ms,
  }));
}
