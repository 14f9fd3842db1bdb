import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { type OpenedClient, openClient, type WarehouseTarget } from './client.js';
import { isNetworkError, toWarehouseError, WarehouseError } from './errors.js';

/**
 * The one door to ClickHouse. Every statement has a name (sent as `log_comment`, so it can be
 * found in system.query_log), parameters are always bound, rows are parsed with zod (Int64 come
 * as strings, dates as text: never cast), and failures become typed WarehouseErrors. Only
 * network failures are retried; a bad query fails at once.
 */
export interface QuerySpec<P extends z.ZodType, R extends z.ZodType> {
  name: string;
  sql: string;
  params: P;
  row: R;
}

export function defineQuery<P extends z.ZodType, R extends z.ZodType>(spec: QuerySpec<P, R>) {
  return spec;
}

const RETRIES = 3;

/** Limits on one read, so a heavy question ends with a clear error instead of a hang. */
export interface QueryLimits {
  /** ClickHouse `max_execution_time`, seconds. */
  maxExecutionSeconds: number;
  /** ClickHouse `max_memory_usage`, bytes. */
  maxMemoryBytes: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxExecutionSeconds: 30,
  maxMemoryBytes: 4 * 1024 ** 3,
};

/** Marks the statements of a write (an ingest batch, a projection) as going first. */
const prioritySection = new AsyncLocalStorage<true>();

interface Pending {
  start: () => void;
}

export class Warehouse {
  readonly description: string;
  readonly target: WarehouseTarget;
  private readonly client: ClickHouseClient;
  private readonly serialize: boolean;
  private readonly limits: QueryLimits;
  private closed = false;
  // chDB runs one statement at a time: statements wait here. Those of a priority section (the
  // write path) go before queued reads, and while a section is open no read starts between
  // its statements, so a write waits for at most the one read already running.
  private running: Promise<unknown> | null = null;
  private readonly urgent: Pending[] = [];
  private readonly normal: Pending[] = [];
  private openSections = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    target: WarehouseTarget,
    opened: OpenedClient = openClient(target),
    limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  ) {
    this.target = target;
    this.client = opened.client;
    this.description = opened.description;
    this.serialize = opened.serialize;
    this.limits = limits;
  }

  /**
   * Runs `work` with its statements ahead of queued reads: the embedded write path uses it so
   * an ingest batch is never stuck behind a queue of dashboard questions. On a server, where
   * statements run concurrently, it changes nothing.
   */
  async priority<T>(work: () => Promise<T>): Promise<T> {
    if (!this.serialize || prioritySection.getStore() === true) return work();
    this.openSections++;
    try {
      return await prioritySection.run(true, work);
    } finally {
      this.openSections--;
      this.dispatch();
    }
  }

  get clustered(): boolean {
    return this.target.mode === 'server' && this.target.clustered === true;
  }

  async query<P extends z.ZodType, R extends z.ZodType>(
    spec: QuerySpec<P, R>,
    params: z.input<P>,
  ): Promise<Array<z.output<R>>> {
    const bound = spec.params.parse(params) as Record<string, unknown>;
    const rows = await this.run(spec.name, async () => {
      const result = await this.client.query({
        query: spec.sql,
        query_params: bound,
        format: 'JSONEachRow',
        clickhouse_settings: {
          ...this.settings(spec.name),
          max_execution_time: this.limits.maxExecutionSeconds,
          max_memory_usage: String(this.limits.maxMemoryBytes),
          // FINAL merges within each partition only, and reads a partition of one part as it
          // is. Correct for every table read with FINAL: `episodes` files an episode under one
          // month for good (episode_buckets), so under one quarter, its partition; the others
          // are not partitioned.
          do_not_merge_across_partitions_select_final: 1,
          // Skip indexes under FINAL, in the exact mode (on by default, set here so it cannot
          // be lost): a granule an index keeps is read with every newer part overlapping it.
          use_skip_indexes_if_final: 1,
          use_skip_indexes_if_final_exact_mode: 1,
        },
      });
      return result.json<unknown>();
    });
    const parsed = z.array(spec.row).safeParse(rows);
    if (!parsed.success) {
      throw new WarehouseError(
        'row_shape',
        `${spec.name} returned rows of an unexpected shape: ${parsed.error.issues[0]?.message ?? 'unknown'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      );
    }
    return parsed.data;
  }

  /**
   * Inserts rows as JSONEachRow. `dedupToken` makes a retried insert of the same batch a no-op
   * on tables with a deduplication window. It is always sent, empty when absent, because chDB
   * applies settings as session `SET`s that would otherwise leak into the next insert.
   */
  async insert(options: {
    name: string;
    table: string;
    rows: readonly Record<string, unknown>[];
    dedupToken?: string;
  }): Promise<void> {
    if (options.rows.length === 0) return;
    await this.run(options.name, () =>
      this.client.insert({
        table: options.table,
        values: options.rows as Record<string, unknown>[],
        format: 'JSONEachRow',
        clickhouse_settings: {
          ...this.settings(options.name),
          insert_deduplication_token: options.dedupToken ?? '',
        },
      }),
    );
  }

  async command(name: string, sql: string, params: Record<string, unknown> = {}): Promise<void> {
    await this.run(name, () =>
      this.client.command({
        query: sql,
        query_params: params,
        clickhouse_settings: this.settings(name),
      }),
    );
  }

  /** True when a trivial query answers: the readiness probe. */
  async ping(): Promise<boolean> {
    try {
      await this.run('ping', async () =>
        (await this.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json(),
      );
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.running !== null || this.urgent.length > 0 || this.normal.length > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.client.close();
  }

  private settings(name: string) {
    return { log_comment: name, insert_deduplication_token: '' } as const;
  }

  private run<T>(name: string, operation: () => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(new WarehouseError('unavailable', 'the warehouse is closed'));
    const attempt = async (): Promise<T> => {
      for (let tries = 1; ; tries++) {
        try {
          return await operation();
        } catch (error) {
          if (tries >= RETRIES || !isNetworkError(error)) throw toWarehouseError(error, name);
          await new Promise((done) => setTimeout(done, 100 * 2 ** tries));
        }
      }
    };
    if (!this.serialize) return attempt();
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        const done = attempt().then(resolve, reject);
        this.running = done;
        void done.then(() => {
          this.running = null;
          this.dispatch();
        });
      };
      (prioritySection.getStore() === true ? this.urgent : this.normal).push({ start });
      this.dispatch();
    });
  }

  /** Starts the next statement: urgent first; reads only when no write section is open. */
  private dispatch(): void {
    if (this.running !== null) return;
    const next = this.urgent.shift() ?? (this.openSections === 0 ? this.normal.shift() : undefined);
    if (next === undefined) {
      if (this.normal.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
      return;
    }
    next.start();
  }
}
