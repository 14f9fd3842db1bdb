import type { Admin } from 'kafkajs';

/**
 * The topics of the log. Events are keyed by episodeId, so one episode's events stay ordered in
 * one partition and one projector instance folds them.
 */
export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  /**
   * Prepended to topic and group names (KAFKA_TOPIC_PREFIX), so several deployments or test
   * suites can share a cluster; empty in a normal deployment.
   */
  prefix: string;
}

export const topicNames = (prefix: string) => ({
  events: `${prefix}ipt.events.v1`,
  deadLetters: `${prefix}ipt.events.dlq`,
  projectorGroup: `${prefix}ipt-projector`,
});

/**
 * Creates the topics when missing (idempotent). With replication, `min.insync.replicas` is one
 * less than the factor, so an `acks=all` write survives the loss of one broker but is refused
 * rather than left on a single copy.
 */
export async function ensureTopics(admin: Admin, settings: TopicSettings): Promise<void> {
  const names = topicNames(settings.prefix);
  const existing = new Set(await admin.listTopics());
  const minInsync = String(Math.max(1, settings.replicationFactor - 1));
  const missing = [names.events, names.deadLetters]
    .filter((topic) => !existing.has(topic))
    .map((topic) => ({
      topic,
      numPartitions: topic === names.events ? settings.partitions : 1,
      replicationFactor: settings.replicationFactor,
      configEntries: [
        { name: 'min.insync.replicas', value: minInsync },
        // The log is the source of truth (replay rebuilds everything from offset 0): keep it.
        { name: 'retention.ms', value: '-1' },
      ],
    }));
  if (missing.length > 0) {
    // Another process may create them at the same moment: that is fine (createTopics answers
    // false for a topic that exists). Leaders are awaited below, not by kafkajs, whose wait
    // gives up on the "unknown topic" a fresh cluster answers while metadata propagates.
    await admin.createTopics({ topics: missing, waitForLeaders: false });
  }
  await waitForLeaders(admin, [names.events, names.deadLetters]);
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let problem = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.flatMap((t) =>
        t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}/${p.partitionId}`),
      );
      if (metadata.length === topics.length && leaderless.length === 0) return;
      problem =
        leaderless.length > 0
          ? `no leader for ${leaderless.join(', ')}`
          : 'topics not in metadata yet';
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `Kafka topics ${topics.join(', ')} have no leaders after ${timeoutMs / 1000} s: ${problem}`,
  );
}
