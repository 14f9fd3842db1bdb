#!/usr/bin/env node
/**
 * `ipt`: the ingest service's command line.
 *   ipt start                       run the product in one process (ingest + projector + read API)
 *   ipt ingest                      scaled mode: the write API producing to Kafka
 *   ipt projector                   scaled mode: the consumer group writing the warehouse
 *   ipt dashboard                   scaled mode: the dashboard and read API, no write path
 *   ipt keygen ingest --source S --clinics a,b   print a new source key and its INGEST_KEYS entry
 *   ipt keygen read --name N --role R [--clinics a,b]   print a new read key and its
 *                                   READ_KEYS entry (role steward, clinic or researcher)
 *   ipt access-log [--principal P] [--from D] [--to D] [--csv]   who read what (the access log)
 *   ipt release create --name N --as-of T [--note X]   freeze the numbers as of T under N
 *   ipt release list | verify --name N | delete --name N   the frozen releases
 *   ipt import <file> [--fhir ...]  send a file of events (NDJSON, or a FHIR export) to a server
 *   ipt migrate                     apply pending warehouse migrations
 *   ipt replay [--from-kafka]       rebuild every projection from the raw event log (or the
 *                                   warehouse itself from the Kafka topic, offset 0)
 */
import { parseArgs } from 'node:util';
import { type Principal, READ_ROLES, type ReadRole, ReleaseName } from '@ipt/analytics';
import {
  createAccessLog,
  createRelease,
  deleteRelease,
  listReleases,
  RELEASE_FIELDS,
  readAccessLog,
  verifyRelease,
} from '@ipt/analytics/server';
import { generateKey, ingestConfigEntry, readConfigEntry } from '@ipt/auth';
import { createLogger } from '@ipt/http';
import { eventLogStats, migrate, recordKeysFrom, replay, Warehouse } from '@ipt/warehouse';
import { runImport } from './cli/import.js';
import { parseImportOptions } from './cli/import-options.js';
import { progressBar } from './cli/progress.js';
import { asksForHelp, COMMAND_USAGE, USAGE, usageOf } from './cli/usage.js';
import { loadRecordKeySecret } from './disclosure/record-key-secret.js';
import { ConfigError, type Env, loadEnv } from './env.js';
import { createKafka } from './kafka/client.js';
import { replayFromKafka } from './kafka/replay.js';
import { type Role, startServer, warehouseTarget } from './server.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `ipt <command> --help` (or -h): that command's usage, and nothing run.
  if (command !== undefined && Object.hasOwn(COMMAND_USAGE, command) && asksForHelp(rest)) {
    process.stdout.write(`${usageOf(command)}\n`);
    return 0;
  }
  switch (command) {
    case 'start':
      return start('all');
    case 'ingest':
      return start('ingest');
    case 'projector':
      return start('projector');
    case 'dashboard':
      return start('dashboard');
    case 'keygen':
      return keygen(rest);
    case 'access-log':
      return accessLog(rest);
    case 'release':
      return releaseCommand(rest);
    case 'import': {
      const summary = await runImport(parseImportOptions(rest));
      return summary.rejected === 0 && summary.unmappable === 0 ? 0 : 1;
    }
    case 'migrate':
      return withWarehouse(async (warehouse) => {
        const { applied } = await migrate(warehouse);
        process.stdout.write(
          applied.length === 0 ? 'nothing to apply\n' : `applied: ${applied.join(', ')}\n`,
        );
      });
    case 'replay':
      return withWarehouse(async (warehouse, env) => {
        await migrate(warehouse);
        const recordKeys = recordKeysFrom(loadRecordKeySecret(env).secret);
        if (rest.includes('--from-kafka')) {
          if (env.KAFKA_BROKERS === undefined)
            throw new ConfigError('replay --from-kafka needs KAFKA_BROKERS');
          const logger = createLogger({ level: env.LOG_LEVEL });
          const kafka = createKafka(env.KAFKA_BROKERS, logger, 'ipt-replay');
          // The lag at the first report is the total: a bar on a terminal, lines in a log.
          let bar: ReturnType<typeof progressBar> | undefined;
          let total = 0;
          await replayFromKafka({
            kafka,
            warehouse,
            recordKeys,
            logger,
            prefix: env.KAFKA_TOPIC_PREFIX,
            onProgress: (lag) => {
              if (bar === undefined) {
                total = lag;
                bar = progressBar('replay from Kafka', total);
              }
              bar.update(Math.max(0, total - lag), 'events');
            },
          });
          bar?.finish(`${total} events read`);
          const stats = await eventLogStats(warehouse);
          process.stdout.write(
            `replayed ${stats.events} events of ${stats.episodes} episodes from Kafka\n`,
          );
          return;
        }
        let bar: ReturnType<typeof progressBar> | undefined;
        const result = await replay(warehouse, recordKeys, (done, total) => {
          bar ??= progressBar('replay', total);
          bar.update(done, 'episodes');
        });
        bar?.finish(`${result.projected} episodes projected`);
        process.stdout.write(
          `replayed ${result.projected} episodes (${result.deadLettered} dead-lettered)\n`,
        );
      });
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

async function start(role: Role): Promise<number> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });
  const running = await startServer(env, logger, role);
  logger.info(`listening on ${running.url}`);
  const onSignal = (signal: string) => {
    logger.info(`${signal}: stopping (finishing in-flight batches)`);
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  await running.demo;
  process.stdout.write(
    `\nIPT Outcomes is running at ${running.url}  (API: ${running.url}/openapi.json)\n`,
  );
  return -1;
}

function keygen(args: string[]): number {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      clinics: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
    },
  });
  const [kind] = positionals;
  if (kind === 'ingest') {
    if (values.source === undefined || values.clinics === undefined)
      throw new ConfigError('keygen ingest needs --source and --clinics');
    const key = generateKey('ingest');
    const entry = ingestConfigEntry(key.keySha256, {
      sourceId: values.source,
      clinics: values.clinics.split(','),
    });
    printKey(key.key, 'INGEST_KEYS', entry);
    return 0;
  }
  if (kind === 'read') {
    if (values.name === undefined || values.role === undefined) {
      throw new ConfigError(`keygen read needs --name and --role (${READ_ROLES.join(', ')})`);
    }
    if (!(READ_ROLES as readonly string[]).includes(values.role)) {
      throw new ConfigError(`--role must be one of: ${READ_ROLES.join(', ')}`);
    }
    const key = generateKey('read');
    printKey(
      key.key,
      'READ_KEYS',
      readConfigEntry(key.keySha256, {
        name: values.name,
        role: values.role as ReadRole,
        clinics: values.clinics?.split(','),
      }),
    );
    return 0;
  }
  throw new ConfigError('keygen needs "ingest" or "read"');
}

/** The access log as a table (or CSV), read directly from the warehouse, as the steward. */
async function accessLog(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      principal: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      csv: { type: 'boolean' },
    },
  });
  return withWarehouse(async (warehouse) => {
    await migrate(warehouse);
    // Whoever can open the warehouse is its operator; the CLI reads as the steward.
    const rows = await readAccessLog(
      warehouse,
      { name: 'cli', role: 'steward', clinics: [], via: 'key' },
      {
        principal: values.principal,
        from: values.from,
        to: values.to,
        limit: values.limit === undefined ? 500 : Number(values.limit),
      },
    );
    const columns = [
      'at',
      'principal',
      'role',
      'via',
      'surface',
      'procedure',
      'status',
      'cellsReleased',
      'cellsWithheld',
      'durationMs',
      'filters',
    ] as const;
    const quote = (v: unknown) => {
      const text = String(v);
      return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    };
    const sep = values.csv ? ',' : '\t';
    const out = [
      columns.join(sep),
      ...rows.map((r) => columns.map((c) => (values.csv ? quote(r[c]) : String(r[c]))).join(sep)),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    if (!values.csv) process.stderr.write(`${rows.length} entries, newest first\n`);
  });
}

/** Whoever can open the warehouse is its operator: the CLI acts as the steward, logged as `cli`. */
const OPERATOR: Principal = { name: 'cli', role: 'steward', clinics: [], via: 'key' };

/** `ipt release create|list|verify|delete`: frozen releases, in the access log like the API's. */
async function releaseCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'as-of': { type: 'string' },
      note: { type: 'string' },
    },
  });
  const [action] = positionals;
  const name = () => {
    const parsed = ReleaseName.safeParse(values.name);
    if (!parsed.success) {
      throw new ConfigError(`release ${action} needs --name: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  };
  let code = 0;
  await withWarehouse(async (warehouse) => {
    await migrate(warehouse);
    const log = createAccessLog(warehouse);
    const record = async (procedure: string, question: unknown, status: number) => {
      await log.record({
        principal: OPERATOR,
        surface: 'cli',
        procedure,
        filters: question,
        cellsReleased: 0,
        cellsWithheld: 0,
        status,
        durationMs: 0,
      });
      await log.flush();
    };
    switch (action) {
      case 'list': {
        const releases = await listReleases(warehouse);
        await record('release.list', {}, 200);
        const columns = RELEASE_FIELDS;
        const out = [
          columns.join('\t'),
          ...releases.map((r) => columns.map((c) => String(r[c])).join('\t')),
        ];
        process.stdout.write(`${out.join('\n')}\n`);
        process.stderr.write(`${releases.length} releases, newest first\n`);
        return;
      }
      case 'create': {
        const asOf = values['as-of'];
        if (asOf === undefined || Number.isNaN(Date.parse(asOf))) {
          throw new ConfigError(
            'release create needs --as-of <ISO timestamp>, e.g. 2026-06-30T23:59:59Z',
          );
        }
        const question = { name: name(), asOf, note: values.note };
        // A change is logged before it is made: a change that cannot be logged is not made.
        await record('release.create', question, 0);
        const release = await createRelease(warehouse, OPERATOR, question);
        await record('release.create', question, 200);
        process.stdout.write(
          `release ${release.name}: ${release.episodes} episodes as of ${release.asOf}, definitions ${release.definitionsVersion}\ncontent hash ${release.contentHash}\n`,
        );
        return;
      }
      case 'verify': {
        const result = await verifyRelease(warehouse, name());
        await record('release.verify', { name: result.name }, 200);
        process.stdout.write(
          `${result.ok ? 'ok' : 'DIFFERS'}: recorded ${result.recorded.contentHash} (${result.recorded.episodes} episodes), computed ${result.computed.contentHash} (${result.computed.episodes} episodes)\n`,
        );
        if (result.differing === null) {
          process.stdout.write(
            'rows not compared with the history: the release was folded under other definitions\n',
          );
        } else if (result.differing.length > 0) {
          process.stdout.write(
            `episodes whose row differs from the history as of the release: ${result.differing.join(', ')}\n`,
          );
        }
        if (!result.ok) code = 1;
        return;
      }
      case 'delete': {
        const question = { name: name() };
        await record('release.delete', question, 0);
        await deleteRelease(warehouse, OPERATOR, question.name);
        await record('release.delete', question, 200);
        process.stdout.write(`deleted release ${question.name}\n`);
        return;
      }
      default:
        throw new ConfigError('release needs create, list, verify or delete');
    }
  });
  return code;
}

function printKey(key: string, variable: string, entry: unknown): void {
  process.stdout.write(
    `key (give it to its owner; it is not stored anywhere):\n  ${key}\n\n${variable} entry (only the hash):\n  ${JSON.stringify(entry)}\n`,
  );
}

async function withWarehouse(
  work: (warehouse: Warehouse, env: Env) => Promise<void>,
): Promise<number> {
  const env = loadEnv();
  const warehouse = new Warehouse(warehouseTarget(env));
  process.stderr.write(`warehouse: ${warehouse.description}\n`);
  try {
    await work(warehouse, env);
  } finally {
    await warehouse.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ipt: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  },
);
