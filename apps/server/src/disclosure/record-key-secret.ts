import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORD_KEY_SECRET_BYTES } from '@ipt/warehouse';
import { ConfigError, type Env } from '../env.js';

/**
 * The deployment's record-key secret (docs/outcomes.md, "Disclosure control"), generated once and
 * never sent anywhere: not to the warehouse, not to a client, not into a log.
 *
 * - Embedded mode: DATA_DIR/record-key.secret, made (mode 0600) at the first start. The file and
 *   the warehouse live and are backed up together.
 * - A ClickHouse server (the scaled mode): RECORD_KEY_SECRET, because every process that
 *   projects must hold the same secret. Start refuses without it.
 *
 * Changing the secret changes every episode's record key, and with it the noise of every
 * protected number: answers given before and after could then be averaged. Start refuses a
 * RECORD_KEY_SECRET that differs from the one already in DATA_DIR.
 */
export const RECORD_KEY_SECRET_FILE = 'record-key.secret';

const GENERATE_HINT =
  "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

export function loadRecordKeySecret(env: Env): { secret: Buffer; source: string } {
  const file = join(env.DATA_DIR, RECORD_KEY_SECRET_FILE);
  if (env.RECORD_KEY_SECRET !== undefined) {
    const secret = decode(env.RECORD_KEY_SECRET);
    if (env.CLICKHOUSE_URL === undefined && existsSync(file)) {
      const stored = decode(readFileSync(file, 'utf8').trim());
      if (!stored.equals(secret)) {
        throw new ConfigError(
          `RECORD_KEY_SECRET differs from the secret in ${file}: record keys (and the noise of every protected number) would change; unset it, or move the data directory aside`,
        );
      }
    }
    return { secret, source: 'RECORD_KEY_SECRET' };
  }
  if (env.CLICKHOUSE_URL !== undefined) {
    throw new ConfigError(
      `RECORD_KEY_SECRET is required with CLICKHOUSE_URL: every process that projects episodes must hold the same record-key secret; ${GENERATE_HINT}`,
    );
  }
  if (existsSync(file)) {
    return { secret: decode(readFileSync(file, 'utf8').trim(), file), source: file };
  }
  const secret = randomBytes(RECORD_KEY_SECRET_BYTES);
  mkdirSync(env.DATA_DIR, { recursive: true });
  // 'wx': never overwrite a secret another start wrote in the meantime.
  writeFileSync(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, source: `${file} (new)` };
}

function decode(text: string, where = 'RECORD_KEY_SECRET'): Buffer {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) {
    throw new ConfigError(`${where} must be base64url; ${GENERATE_HINT}`);
  }
  const secret = Buffer.from(text, 'base64url');
  if (secret.length < RECORD_KEY_SECRET_BYTES) {
    throw new ConfigError(
      `${where} must hold at least ${RECORD_KEY_SECRET_BYTES} random bytes (got ${secret.length}); ${GENERATE_HINT}`,
    );
  }
  return secret;
}
