/**
 * @fileoverview The disclosure settings and the record-key secret at start: unsafe settings are
 * refused with a message naming the variable; the secret is generated once into DATA_DIR (mode
 * 0600) and reused; a ClickHouse server needs it from the environment; a short, malformed or
 * changed secret is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../env.js';
import { loadRecordKeySecret, RECORD_KEY_SECRET_FILE } from './record-key-secret.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipt-secret-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('disclosure settings', () => {
  it('default to k = 11, noise 1 and 50 cohorts a day', () => {
    const env = loadEnv({});
    expect([env.MIN_CELL_SIZE, env.DISCLOSURE_NOISE, env.COHORT_BUDGET_PER_DAY]).toEqual([
      11, 1, 50,
    ]);
  });

  it.each([
    [{ MIN_CELL_SIZE: '4' }, /MIN_CELL_SIZE must be at least 5/],
    [{ DISCLOSURE_NOISE: '0' }, /DISCLOSURE_NOISE must be at least 1: without noise/],
    [{ DISCLOSURE_NOISE: '6' }, /DISCLOSURE_NOISE must be at most 5/],
    [{ DISCLOSURE_NOISE: '1.5' }, /DISCLOSURE_NOISE must be an integer/],
    [{ COHORT_BUDGET_PER_DAY: '0' }, /COHORT_BUDGET_PER_DAY must be at least 1/],
    [{ COHORT_BUDGET_PER_DAY: '5000' }, /COHORT_BUDGET_PER_DAY must be at most 1000/],
  ])('refuse %j', (setting, message) => {
    expect(() => loadEnv(setting)).toThrow(message);
  });
});

describe('the record-key secret', () => {
  it('is generated once into DATA_DIR, readable by its owner only, and reused', () => {
    const dir = dataDir();
    const first = loadRecordKeySecret(loadEnv({ DATA_DIR: dir }));
    expect(first.secret.length).toBe(32);
    expect(first.source).toMatch(/\(new\)$/);
    const file = join(dir, RECORD_KEY_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadRecordKeySecret(loadEnv({ DATA_DIR: dir }));
    expect(again.secret.equals(first.secret)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret.toString('base64url'));
  });

  it('comes from RECORD_KEY_SECRET with a ClickHouse server, and is required there', () => {
    const server = { CLICKHOUSE_URL: 'http://localhost:8123/ipt', DATA_DIR: dataDir() };
    expect(() => loadRecordKeySecret(loadEnv(server))).toThrow(
      /RECORD_KEY_SECRET is required with CLICKHOUSE_URL/,
    );
    const secret = randomBytes(32).toString('base64url');
    const loaded = loadRecordKeySecret(loadEnv({ ...server, RECORD_KEY_SECRET: secret }));
    expect(loaded.secret.toString('base64url')).toBe(secret);
  });

  it('refuses a short or malformed secret, and one that differs from the stored one', () => {
    const dir = dataDir();
    expect(() =>
      loadRecordKeySecret(loadEnv({ DATA_DIR: dir, RECORD_KEY_SECRET: 'c2hvcnQ' })),
    ).toThrow(/at least 32 random bytes/);
    expect(() =>
      loadRecordKeySecret(loadEnv({ DATA_DIR: dir, RECORD_KEY_SECRET: 'not base64url!' })),
    ).toThrow(/must be base64url/);
    loadRecordKeySecret(loadEnv({ DATA_DIR: dir }));
    expect(() =>
      loadRecordKeySecret(
        loadEnv({ DATA_DIR: dir, RECORD_KEY_SECRET: randomBytes(32).toString('base64url') }),
      ),
    ).toThrow(/differs from the secret in/);
  });
});
