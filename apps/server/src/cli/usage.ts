import { IMPORT_USAGE } from './import-options.js';

/**
 * Each command's usage, as `ipt <command> --help` (or `-h`) prints it; `ipt --help` prints them
 * all. One table, so the two cannot disagree.
 */
const SERVE =
  '  ipt start | ingest | projector | dashboard\n' +
  '    start: the product in one process (ingest, projector, dashboard; demo data when empty);\n' +
  '    ingest, projector, dashboard: the scaled mode, one role a process';

export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  start: SERVE,
  ingest: SERVE,
  projector: SERVE,
  dashboard: SERVE,
  keygen:
    '  ipt keygen ingest --source <source-id> --clinics <clinic,clinic>\n' +
    '  ipt keygen read --name <name> --role steward|clinic|researcher [--clinics <clinic,clinic>]',
  'access-log':
    '  ipt access-log [--principal <name>] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N] [--csv]',
  release:
    '  ipt release create --name <name> --as-of <ISO timestamp> [--note <text>]\n' +
    '  ipt release list | verify --name <name> | delete --name <name>',
  import: IMPORT_USAGE.replace(/^usage:\n/, ''),
  migrate: '  ipt migrate',
  replay: '  ipt replay [--from-kafka]',
};

const CONFIGURATION =
  'Configuration comes from the environment (PORT, DATA_DIR, CLICKHOUSE_URL, INGEST_KEYS, ' +
  'READ_KEYS, MIN_CELL_SIZE, SEED_DEMO, ...): see the README.';

/** Every command's usage. */
export const USAGE = `usage:\n${[...new Set(Object.values(COMMAND_USAGE))].join('\n')}\n${CONFIGURATION}`;

/** One command's usage (the whole list for a command it does not know). */
export const usageOf = (command: string): string => {
  const usage = COMMAND_USAGE[command];
  return usage === undefined ? USAGE : `usage:\n${usage}\n${CONFIGURATION}`;
};

/** Whether a command's arguments ask for its usage. */
export const asksForHelp = (args: readonly string[]): boolean =>
  args.includes('--help') || args.includes('-h');
