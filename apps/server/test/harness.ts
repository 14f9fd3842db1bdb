/**
 * Test harness: the real ingest server (express + embedded chDB) on 127.0.0.1, an ephemeral port
 * and a temporary DATA_DIR, with freshly generated keys. chDB allows one data directory per
 * process and vitest runs each file in its own process, so each file owns one server at a time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, ingestConfigEntry, readConfigEntry } from '@ipt/auth';
import { createLogger } from '@ipt/http';
import { type RecordKeys, recordKeysFrom, type Warehouse } from '@ipt/warehouse';
import { RECORD_KEY_SECRET_FILE } from '../src/disclosure/record-key-secret.js';
import { loadEnv } from '../src/env.js';
import { type RunningServer, startServer } from '../src/server.js';

export interface Harness {
  running: RunningServer;
  url: string;
  dataDir: string;
  ingestKey: string;
  otherIngestKey: string;
  /** A researcher's read key. */
  readKey: string;
  /** The network data steward's read key. */
  stewardKey: string;
  /** A clinic reader's key, for the first of the harness's clinics. */
  clinicReaderKey: string;
  env: Record<string, string>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startHarness(options: {
  clinics: readonly string[];
  env?: Record<string, string>;
}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-ingest-'));
  const ingest = generateKey('ingest');
  const other = generateKey('ingest');
  const read = generateKey('read');
  const steward = generateKey('read');
  const clinicReader = generateKey('read');
  const env = {
    PORT: '0',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    DASHBOARD: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '10000',
    READ_RATE_LIMIT_PER_SECOND: '10000',
    INGEST_KEYS: JSON.stringify([
      ingestConfigEntry(ingest.keySha256, { sourceId: 'test-source', clinics: options.clinics }),
      ingestConfigEntry(other.keySha256, { sourceId: 'other-source', clinics: ['other-clinic'] }),
    ]),
    READ_KEYS: JSON.stringify([
      readConfigEntry(read.keySha256, { name: 'test-reader', role: 'researcher' }),
      readConfigEntry(steward.keySha256, { name: 'test-steward', role: 'steward' }),
      readConfigEntry(clinicReader.keySha256, {
        name: 'test-clinic-reader',
        role: 'clinic',
        clinics: options.clinics.slice(0, 1),
      }),
    ]),
    ...options.env,
  };
  const start = () => startServer(loadEnv(env), createLogger({ level: 'silent' }));
  const harness: Harness = {
    running: await start(),
    url: '',
    dataDir,
    ingestKey: ingest.key,
    otherIngestKey: other.key,
    readKey: read.key,
    stewardKey: steward.key,
    clinicReaderKey: clinicReader.key,
    env,
    async restart() {
      await harness.running.stop();
      harness.running = await start();
      harness.url = harness.running.url;
    },
    async dispose() {
      await harness.running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  harness.url = harness.running.url;
  return harness;
}

/** The server's warehouse (always present in the all-in-one role these tests start). */
/** The record keys of the harness's deployment (its secret, generated into DATA_DIR). */
export function recordKeysOf(harness: Harness): RecordKeys {
  const text = readFileSync(join(harness.dataDir, RECORD_KEY_SECRET_FILE), 'utf8').trim();
  return recordKeysFrom(Buffer.from(text, 'base64url'));
}

export function warehouseOf(harness: Harness): Warehouse {
  const { warehouse } = harness.running.context;
  if (warehouse === null) throw new Error('this server has no warehouse');
  return warehouse;
}

export async function postEvents(
  harness: Harness,
  body: unknown,
  init: { key?: string | null; contentType?: string; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': init.contentType ?? 'application/json',
  };
  const key = init.key === undefined ? harness.ingestKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${harness.url}/v1/events`, {
    method: 'POST',
    headers,
    body: init.raw ?? JSON.stringify(body),
  });
  return read(response);
}

export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/** A response's status, headers and body, as text and (when it is JSON) parsed. */
export async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export async function getJson(
  harness: Harness,
  path: string,
  init: { key?: string | null; accept?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? harness.readKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (init.accept !== undefined) headers.accept = init.accept;
  const response = await fetch(`${harness.url}${path}`, { headers });
  return read(response);
}

/** Asserts the contract's error shape: JSON {"error": {code, message}}, no stack, no HTML. */
export function errorOf(response: { headers: Headers; json: unknown; text: string }): {
  code: string;
  message: string;
} {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json'))
    throw new Error(`error is not JSON: ${type}: ${response.text.slice(0, 200)}`);
  if (/<html|\bat .*\.(js|ts):\d+/i.test(response.text))
    throw new Error(`error leaks HTML or a stack: ${response.text}`);
  const error = (response.json as { error?: { code?: unknown; message?: unknown } }).error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    throw new Error(`not the contract's error shape: ${response.text}`);
  }
  return { code: error.code, message: error.message };
}
