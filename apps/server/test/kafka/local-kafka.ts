/**
 * Drives infra/kafka/kafka.sh from tests: a real Apache Kafka 3.9 broker (or a 3-node cluster)
 * on its own ports and in its own temporary directory, started and stopped by the test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(fileURLToPath(new URL('../../../../infra/kafka/kafka.sh', import.meta.url)));

export interface LocalKafka {
  brokers: string;
  stopNode(n: number): Promise<void>;
  startNode(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalKafka(options: {
  nodes: 1 | 3;
  port: number;
}): Promise<LocalKafka> {
  const runDir = mkdtempSync(join(tmpdir(), `ipt-kafka-${options.nodes}n-`));
  const env = {
    ...process.env,
    KAFKA_NODES: String(options.nodes),
    KAFKA_PORT: String(options.port),
    KAFKA_RUN_DIR: runDir,
    KAFKA_HEAP: '384m',
  };
  const kafka = async (...args: string[]) => {
    try {
      return await run('bash', [SCRIPT, ...args], { env, timeout: 180_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`kafka.sh ${args.join(' ')} failed: ${stderr.trim() || String(error)}`);
    }
  };
  await kafka('start');
  const { stdout } = await kafka('bootstrap');
  return {
    brokers: stdout.trim(),
    stopNode: async (n) => {
      await kafka('stop-node', String(n));
    },
    startNode: async (n) => {
      await kafka('start-node', String(n));
    },
    stop: async () => {
      await kafka('stop');
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** Why a local broker cannot run here, or null when it can (Java and the script present). */
export async function localKafkaProblem(): Promise<string | null> {
  try {
    await run('java', ['-version']);
  } catch {
    return 'Java is not installed (Kafka runs on the JVM)';
  }
  try {
    await run('bash', [SCRIPT, 'fetch'], { timeout: 300_000 });
  } catch (error) {
    return `the Kafka jars could not be fetched: ${String(error)}`;
  }
  return null;
}
