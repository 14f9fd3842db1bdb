/**
 * Runs the built CLI (`dist/cli.js`) as real processes, for tests that kill and restart them.
 * `pnpm test` builds first; a direct vitest run needs `pnpm build` once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface Service {
  process: ChildProcess;
  url: string;
  output(): string;
  /** SIGTERM, and the exit code once it has exited. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown at all. */
  kill(): Promise<void>;
}

export async function startService(
  role: 'start' | 'ingest' | 'projector',
  env: Record<string, string>,
): Promise<Service> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm build" (pnpm test does)`);
  const child = spawn(process.execPath, [CLI, role], {
    env: {
      ...process.env,
      TZ: 'UTC',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${role} did not start in 60 s:\n${output}`)),
      60_000,
    );
    const check = () => {
      const match = /is running at (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before starting:\n${output}`));
    });
  });
  return {
    process: child,
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
