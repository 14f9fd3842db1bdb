/**
 * Group commit: items submitted while a write runs are written together by the next, one write
 * at a time. Every statement and every part ClickHouse creates is then paid once per group
 * rather than once per item, so a burst costs little more than one item, and a lone item waits
 * for its own write only (no timer: a fixed delay would be paid by every item on a quiet
 * server). Used by the embedded write path (batches of events) and the access log (entries).
 */
export interface GroupCommitOptions<T, R> {
  /**
   * Writes a group and resolves to each item's result, in order. A rejection fails every item
   * of the group, none of which is then acknowledged.
   */
  write(group: readonly T[]): Promise<R[]>;
  /** Whether `next` may join `group` (a bound on its size, items that cannot share a write). */
  joins?(group: readonly T[], next: T): boolean;
  /**
   * Start a write only after the current turn of the event loop, so the items submitted in one
   * turn (a tRPC batch of reads) share it. Off: the first item is written at once.
   */
  gatherTurn?: boolean;
}

export interface GroupCommit<T, R> {
  /** Resolves to the item's result once its group is written; rejects if that write failed. */
  submit(item: T): Promise<R>;
  /** Resolves once every item submitted so far has been written (or failed). */
  drain(): Promise<void>;
}

interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function groupCommit<T, R>(options: GroupCommitOptions<T, R>): GroupCommit<T, R> {
  const queue: Array<Queued<T, R>> = [];
  let writer: Promise<void> | null = null;

  /** The next group: queued items in order, as long as each joins the ones before it. */
  const takeGroup = (): Array<Queued<T, R>> => {
    const group: Array<Queued<T, R>> = [];
    const items: T[] = [];
    for (let next = queue[0]; next !== undefined; next = queue[0]) {
      if (group.length > 0 && options.joins?.(items, next.item) === false) break;
      queue.shift();
      group.push(next);
      items.push(next.item);
    }
    return group;
  };

  const writeGroup = async (group: Array<Queued<T, R>>): Promise<void> => {
    try {
      const results = await options.write(group.map((q) => q.item));
      if (results.length !== group.length) {
        throw new Error(`a group write gave ${results.length} results for ${group.length} items`);
      }
      for (const [i, q] of group.entries()) q.resolve(results[i] as R);
    } catch (error) {
      for (const q of group) q.reject(error);
    }
  };

  const run = async (): Promise<void> => {
    if (options.gatherTurn) await new Promise<void>((ready) => setImmediate(ready));
    for (let group = takeGroup(); group.length > 0; group = takeGroup()) await writeGroup(group);
    writer = null;
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        writer ??= run();
      });
    },
    async drain() {
      while (writer !== null) await writer;
    },
  };
}
