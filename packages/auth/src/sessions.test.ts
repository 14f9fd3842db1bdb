/**
 * @fileoverview Dashboard sessions: an opened session resolves to its principal; it ends at
 * sign-out, after the idle time, after the absolute time however active, and as soon as its
 * key is removed; ids are random, 256-bit, and a malformed or altered id resolves to nothing.
 */
import type { Principal } from '@ipt/analytics';
import { describe, expect, it } from 'vitest';
import { createSessionStore } from './sessions.js';

const steward: Principal = { name: 'steward-a', role: 'steward', clinics: [], via: 'session' };
const MINUTE = 60_000;

function store(options: { keys?: Set<string> } = {}) {
  let now = 1_000_000;
  const keys = options.keys ?? new Set(['hash-a']);
  const sessions = createSessionStore({
    idleMs: 30 * MINUTE,
    absoluteMs: 12 * 60 * MINUTE,
    keyStillValid: (hash) => keys.has(hash),
    now: () => now,
  });
  return { sessions, keys, advance: (ms: number) => (now += ms) };
}

describe('sessions', () => {
  it('resolves an open session to its principal until sign-out', () => {
    const { sessions } = store();
    const id = sessions.open(steward, 'hash-a');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.resolve(id)).toEqual(steward);
    sessions.close(id);
    expect(sessions.resolve(id)).toBeNull();
  });

  it('ends after the idle time, and each use restarts the idle clock', () => {
    const { sessions, advance } = store();
    const id = sessions.open(steward, 'hash-a');
    advance(29 * MINUTE);
    expect(sessions.resolve(id)).not.toBeNull();
    advance(29 * MINUTE);
    expect(sessions.resolve(id)).not.toBeNull();
    advance(31 * MINUTE);
    expect(sessions.resolve(id)).toBeNull();
  });

  it('ends after the absolute time however active', () => {
    const { sessions, advance } = store();
    const id = sessions.open(steward, 'hash-a');
    for (let t = 0; t < 12 * 60; t += 20) {
      advance(20 * MINUTE);
      if (t + 20 <= 12 * 60) expect(sessions.resolve(id), `at ${t + 20} min`).not.toBeNull();
    }
    advance(MINUTE);
    expect(sessions.resolve(id)).toBeNull();
  });

  it('ends every session of a key as soon as the key is removed', () => {
    const { sessions, keys } = store();
    const a = sessions.open(steward, 'hash-a');
    const b = sessions.open({ ...steward, name: 'other' }, 'hash-b');
    keys.add('hash-b');
    keys.delete('hash-a');
    expect(sessions.resolve(a)).toBeNull();
    expect(sessions.resolve(b)).not.toBeNull();
  });

  it('resolves nothing for a malformed, altered or unknown id', () => {
    const { sessions } = store();
    const id = sessions.open(steward, 'hash-a');
    const altered = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of ['', 'x', `${id}x`, altered, 'A'.repeat(43), `${id.slice(0, 42)}=`]) {
      expect(sessions.resolve(bad)).toBeNull();
    }
  });

  it('makes a distinct id every time', () => {
    const { sessions } = store();
    const ids = new Set(Array.from({ length: 1000 }, () => sessions.open(steward, 'hash-a')));
    expect(ids.size).toBe(1000);
  });
});
