/**
 * Starts one Kafka broker for the Kafka suites, unless KAFKA_BROKERS names one already. Where
 * neither is possible the suites are skipped with a loud message, except when REQUIRE_KAFKA=1
 * (CI), where that is a failure.
 */
import type { TestProject } from 'vitest/node';
import { type LocalKafka, localKafkaProblem, startLocalKafka } from './local-kafka.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: { brokers: string; problem: string | null };
  }
}

export default async function setup(project: TestProject) {
  const configured = process.env.KAFKA_BROKERS;
  if (configured !== undefined && configured !== '') {
    project.provide('kafka', { brokers: configured, problem: null });
    return;
  }
  const problem = await localKafkaProblem();
  if (problem !== null) {
    project.provide('kafka', { brokers: '', problem });
    return;
  }
  let local: LocalKafka;
  try {
    // Controller ports are broker port + 100: suites with brokers of their own use 19392 and 19592.
    local = await startLocalKafka({ nodes: 1, port: 19092 });
  } catch (error) {
    project.provide('kafka', {
      brokers: '',
      problem: `the local broker did not start: ${String(error)}`,
    });
    return;
  }
  project.provide('kafka', { brokers: local.brokers, problem: null });
  return async () => {
    await local.stop();
  };
}
