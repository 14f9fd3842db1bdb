import { resolve } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { WarehouseError } from './errors.js';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * Where the warehouse lives. Embedded: chDB, the ClickHouse engine in this process, storing in
 * a directory only this process may open. Server: a ClickHouse server (or cluster entry point)
 * over HTTP. Same SQL either way.
 */
export type WarehouseTarget =
  | { mode: 'embedded'; dataDir: string }
  | { mode: 'server'; url: string; clustered?: boolean };

export interface OpenedClient {
  client: ClickHouseClient;
  /** For the start-up log: which warehouse, never a password. */
  description: string;
  /** chDB runs one query at a time per session; a server takes concurrent queries. */
  serialize: boolean;
}

export function openClient(target: WarehouseTarget): OpenedClient {
  if (target.mode === 'embedded') {
    const path = resolve(target.dataDir);
    // chdb implements @clickhouse/client-common's Connection; the client bundles its own copy
    // of those types, one patch release apart, so they are only structurally equal.
    let connection: ClientConnection;
    try {
      connection = createChdbConnection({ path }) as unknown as ClientConnection;
    } catch (error) {
      throw new WarehouseError(
        'locked',
        `cannot open the embedded warehouse at ${path}: another process (another 'pnpm start'?) has it open, and chDB binds a data directory to one process. Stop that process or set DATA_DIR to another directory.`,
        { cause: error },
      );
    }
    return {
      client: createClient({ connection }),
      description: `embedded chDB (ClickHouse engine in-process) at ${path}`,
      serialize: true,
    };
  }
  let url: URL;
  try {
    url = new URL(target.url);
  } catch (error) {
    throw new WarehouseError('config', `CLICKHOUSE_URL is not a valid URL: ${target.url}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WarehouseError('config', `CLICKHOUSE_URL must be http(s), got ${url.protocol}`);
  }
  const safe = new URL(url);
  safe.password = '';
  return {
    client: createClient({ url, request_timeout: 60_000 }),
    description: `ClickHouse server at ${safe.toString()}${target.clustered ? ' (clustered schema)' : ''}`,
    serialize: false,
  };
}
