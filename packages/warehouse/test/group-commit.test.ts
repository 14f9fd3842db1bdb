/**
 * @fileoverview Group commit, as pure logic over a fake write whose completion the test holds:
 * a lone item is written at once; the items submitted while a write runs share the next write,
 * in order, each answered with its own result; `joins` bounds a group; a failed write fails the
 * items of its group only; `gatherTurn` lets the items of one turn share the first write; drain
 * waits for everything submitted. (The writes it serves are tested on chDB in
 * apps/server/test/group-commit.test.ts and the access-log tests.)
 */
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../src/group-commit.js';

/** A write that records each group and finishes only when the test releases it. */
function heldWrites(fail: (group: readonly number[]) => boolean = () => false) {
  const groups: number[][] = [];
  const releases: Array<() => void> = [];
  let arrived: () => void = () => {};
  return {
    groups,
    /** Resolves once `n` groups have started. */
    started: (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (groups.length >= n) resolve();
          else arrived = check;
        };
        check();
      }),
    release: () => releases.shift()?.(),
    write: (group: readonly number[]) => {
      groups.push([...group]);
      arrived();
      return new Promise<string[]>((resolve, reject) => {
        releases.push(() =>
          fail(group) ? reject(new Error('disk full')) : resolve(group.map((n) => `wrote ${n}`)),
        );
      });
    },
  };
}

describe('group commit', () => {
  it('writes a lone item at once, and the items that arrive meanwhile together next', async () => {
    const writes = heldWrites();
    const commits = groupCommit({ write: writes.write });
    const first = commits.submit(1);
    await writes.started(1);
    const rest = [2, 3, 4].map((n) => commits.submit(n));
    writes.release();
    expect(await first).toBe('wrote 1');
    await writes.started(2);
    writes.release();
    expect(await Promise.all(rest)).toEqual(['wrote 2', 'wrote 3', 'wrote 4']);
    expect(writes.groups).toEqual([[1], [2, 3, 4]]);
  });

  it('closes a group where the next item does not join it', async () => {
    const writes = heldWrites();
    const commits = groupCommit({
      write: writes.write,
      joins: (group, next) => group.reduce((a, b) => a + b, 0) + next <= 5,
    });
    const all = [1, 2, 3, 2, 4].map((n) => commits.submit(n));
    for (let i = 1; i <= 4; i++) {
      await writes.started(i);
      writes.release();
    }
    await Promise.all(all);
    // 1 alone (written at once), then 2+3, then 2 (4 would make 6), then 4.
    expect(writes.groups).toEqual([[1], [2, 3], [2], [4]]);
  });

  it('fails the items of a failed write only, and goes on with the next group', async () => {
    const writes = heldWrites((group) => group.includes(2));
    const commits = groupCommit({ write: writes.write });
    const first = commits.submit(1);
    await writes.started(1);
    const failing = [commits.submit(2), commits.submit(3)];
    writes.release();
    await first;
    await writes.started(2);
    const after = commits.submit(4);
    writes.release();
    for (const result of await Promise.allSettled(failing)) {
      expect(result).toMatchObject({ status: 'rejected', reason: new Error('disk full') });
    }
    await writes.started(3);
    writes.release();
    expect(await after).toBe('wrote 4');
  });

  it('refuses a write that answers for fewer items than it was given', async () => {
    const commits = groupCommit<number, string>({ write: async () => ['one'] });
    const first = commits.submit(1);
    const [a, b] = await Promise.allSettled([commits.submit(2), commits.submit(3)]);
    expect(await first).toBe('one');
    expect(a).toMatchObject({ status: 'rejected' });
    expect(b).toMatchObject({ status: 'rejected' });
  });

  it('lets the items of one turn share the first write with gatherTurn', async () => {
    const writes = heldWrites();
    const commits = groupCommit({ write: writes.write, gatherTurn: true });
    const all = [1, 2, 3].map((n) => commits.submit(n));
    await writes.started(1);
    writes.release();
    await Promise.all(all);
    expect(writes.groups).toEqual([[1, 2, 3]]);
  });

  it('drains: resolves once every item submitted so far is written', async () => {
    const writes = heldWrites();
    const commits = groupCommit({ write: writes.write });
    const done: number[] = [];
    for (const n of [1, 2]) void commits.submit(n).then(() => done.push(n));
    const drained = commits.drain().then(() => [...done]);
    await writes.started(1);
    writes.release();
    await writes.started(2);
    writes.release();
    expect(await drained).toEqual([1, 2]);
    await commits.drain(); // nothing pending: resolves at once
  });
});
