/**
 * @fileoverview `ipt <command> --help` (and `-h`) prints that command's usage on stdout and exits
 * 0, running nothing (no server, no warehouse); `ipt --help` lists every command; an unknown
 * command is refused with exit 2.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function ipt(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A data directory that does not exist: a command that ran would fail or create it.
    const env = { ...process.env, DATA_DIR: '/nonexistent/ipt-help', TZ: 'UTC' };
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

const COMMANDS = [
  ['import', /ipt import <events\.ndjson>/],
  ['access-log', /ipt access-log \[--principal/],
  ['release', /ipt release create --name/],
  ['keygen', /ipt keygen read --name/],
  ['replay', /ipt replay \[--from-kafka\]/],
  ['migrate', /ipt migrate/],
  ['start', /ipt start \| ingest/],
] as const;

describe('ipt --help', () => {
  it.each(COMMANDS)('prints the usage of %s and exits 0', async (command, usage) => {
    for (const flag of ['--help', '-h']) {
      const result = await ipt([command, flag]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^usage:\n/);
      expect(result.stdout).toMatch(usage);
      expect(result.stderr).toBe('');
    }
  });

  it('lists every command for ipt --help, and refuses an unknown one with exit 2', async () => {
    const all = await ipt(['--help']);
    expect(all.code).toBe(0);
    for (const [, usage] of COMMANDS) expect(all.stdout).toMatch(usage);
    const unknown = await ipt(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
