/**
 * @fileoverview The SQL the analytics service counts with is the protocol's classification, for
 * every episode: each flag of FLAG_SQL (outcome counts) equals `episodeFlags`, and each fidelity
 * measure of the audit (applies, met) equals `fidelityOf`, which reads the fold's own findings.
 * Then the audit's fidelity by clinic equals the sum of `fidelityOf` over the clinic's episodes.
 * Embedded chDB, a simulated network with every kind of breach. Synthetic data only.
 */
import type { CatalogEvent } from '@ipt/events';
import {
  EPISODE_FLAGS,
  episodeFlags,
  FIDELITY_MEASURES,
  FIDELITY_NAMES,
  fidelityOf,
} from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { defineQuery } from '@ipt/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LIVE } from '../src/access.js';
import {
  clinicAudit,
  FIDELITY_APPLIES_SQL,
  FLAG_SQL,
  fidelityMetSql,
  scopeFor,
} from '../src/server/index.js';
import { foldAll, loadedWarehouse, testDisclosure, testPrincipals } from '../src/testing/index.js';

const events: CatalogEvent[] = [...simulateNetwork({ seed: 31337, episodes: 2500, clinics: 8 })];
const summaries = foldAll(events).filter((s) => s.started);
let loaded: Awaited<ReturnType<typeof loadedWarehouse>>;

beforeAll(async () => {
  loaded = await loadedWarehouse(events, 'parity');
}, 180_000);
afterAll(async () => loaded.dispose());

const bit = z.coerce.number().int().min(0).max(1);

async function perEpisode(columns: Record<string, string>) {
  const select = Object.entries(columns).map(([alias, sql]) => `toUInt8(${sql}) AS ${alias}`);
  return loaded.warehouse.query(
    defineQuery({
      name: 'parity.per_episode',
      sql: `SELECT episode_id, ${select.join(', ')} FROM episodes FINAL WHERE started = 1`,
      params: z.object({}),
      row: z.object({
        ...Object.fromEntries(Object.keys(columns).map((c) => [c, bit])),
        episode_id: z.string(),
      }),
    }),
    {},
  );
}

describe('the SQL counts exactly what @ipt/protocol classifies', () => {
  it('every outcome flag, for every episode', async () => {
    const rows = await perEpisode(
      Object.fromEntries(EPISODE_FLAGS.map((f) => [`flag_${f}`, FLAG_SQL[f]])),
    );
    const byId = new Map(rows.map((r) => [r.episode_id, r as Record<string, unknown>]));
    expect(byId.size).toBe(summaries.length);
    const seen = Object.fromEntries(EPISODE_FLAGS.map((f) => [f, 0]));
    for (const s of summaries) {
      const row = byId.get(s.episodeId);
      const flags = episodeFlags(s);
      for (const f of EPISODE_FLAGS) {
        expect(row?.[`flag_${f}`] === 1, `${s.episodeId} ${f}`).toBe(flags[f]);
        if (flags[f]) seen[f] = (seen[f] ?? 0) + 1;
      }
    }
    // Each flag is both set and unset somewhere: the comparison could fail either way.
    for (const f of EPISODE_FLAGS) {
      expect(seen[f], f).toBeGreaterThan(0);
      expect(seen[f], f).toBeLessThan(summaries.length);
    }
  });

  it("every fidelity measure of the audit, from the fold's findings, for every episode", async () => {
    const rows = await perEpisode(
      Object.fromEntries(
        FIDELITY_NAMES.flatMap((name) => [
          [`applies_${name}`, FIDELITY_APPLIES_SQL[name]],
          [`met_${name}`, fidelityMetSql(name)],
        ]),
      ),
    );
    const byId = new Map(rows.map((r) => [r.episode_id, r as Record<string, unknown>]));
    const breaches = Object.fromEntries(FIDELITY_NAMES.map((n) => [n, 0]));
    for (const s of summaries) {
      const row = byId.get(s.episodeId);
      const fidelity = fidelityOf(s);
      for (const name of FIDELITY_NAMES) {
        const expected = fidelity[name];
        expect(row?.[`applies_${name}`] === 1, `${s.episodeId} ${name}`).toBe(expected !== null);
        expect(row?.[`met_${name}`] === 1, `${s.episodeId} ${name}`).toBe(expected === true);
        if (expected === false) breaches[name] = (breaches[name] ?? 0) + 1;
      }
    }
    // The network breaches every measure somewhere, by the fold's own finding codes.
    for (const name of FIDELITY_NAMES) {
      expect(breaches[name], name).toBeGreaterThan(0);
      const code = FIDELITY_MEASURES[name].breach;
      expect(summaries.some((s) => s.findings.some((f) => f.code === code))).toBe(true);
    }
  });

  it("gives the audit's fidelity by clinic as the sum of fidelityOf over its episodes", async () => {
    const scope = scopeFor(testPrincipals.steward, {}, LIVE);
    const audit = await clinicAudit(
      loaded.warehouse,
      scope,
      { level: 'clinic', filters: {} },
      {
        ...testDisclosure,
        minCellSize: 11,
      },
    );
    expect(audit.protected).toBe(false);
    let compared = 0;
    for (const unit of audit.units) {
      if (unit.suppressed) continue;
      const mine = summaries.filter((s) => s.clinicId === unit.clinic);
      for (const name of FIDELITY_NAMES) {
        const values = mine.map((s) => fidelityOf(s)[name]).filter((v) => v !== null);
        const metric = unit[name];
        if (values.length < 11) {
          expect(metric).toBeNull();
          continue;
        }
        expect(metric?.denominator).toBe(values.length);
        expect(metric?.count).toBe(values.filter((v) => v).length);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});
