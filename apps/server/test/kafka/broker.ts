/**
 * The broker the Kafka suites use, or why there is none. No broker: the suite's tests are
 * skipped with a loud message, unless REQUIRE_KAFKA=1, where one test fails and says why.
 */
import { describe, expect, inject, it } from 'vitest';

export function kafkaBrokers(): string | null {
  const { brokers, problem } = inject('kafka');
  return problem === null ? brokers : null;
}

/** Runs `body` as a describe block when Kafka is available; otherwise reports why not. */
export function describeWithKafka(name: string, body: (brokers: string) => void): void {
  const { brokers, problem } = inject('kafka');
  if (problem === null) {
    describe(name, () => body(brokers));
    return;
  }
  if (process.env.REQUIRE_KAFKA === '1') {
    describe(name, () => {
      it('has a Kafka broker (REQUIRE_KAFKA=1)', () => {
        expect.fail(`no Kafka broker: ${problem}`);
      });
    });
    return;
  }
  console.warn(
    `\n!!! SKIPPING "${name}": no Kafka broker (${problem}). Set KAFKA_BROKERS or install Java 17 and Maven.\n`,
  );
  describe.runIf(false)(name, () => body(''));
}
