/**
 * @fileoverview GET /v1/off-track over real HTTP, end to end as a clinic would use it: a
 * simulated network gives the expected curves; the clinic sends two episodes of its own,
 * pseudonymised with its secret (one far above its band, one on course); its reader's list holds
 * the first and not the second, in JSON and CSV, and `reidentify` maps it back to the local id
 * with the clinic's secret. Another clinic, a researcher, no key and stray parameters are refused.
 */

import type { OffTrackListResult } from '@ipt/analytics';
import { builtEpisode } from '@ipt/analytics/testing';
import type { CatalogEvent } from '@ipt/events';
import { createPseudonymizer, reidentify } from '@ipt/events/client';
import { DEFINITIONS_VERSION } from '@ipt/protocol';
import { simulateNetwork } from '@ipt/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, getJson, type Harness, postEvents, startHarness } from './harness.js';

const PATH = '/v1/off-track';
const simulated: CatalogEvent[] = [...simulateNetwork({ seed: 6021, episodes: 2500, clinics: 5 })];
const clinics = [...new Set(simulated.map((e) => e.clinicId))].sort();
const [HOME, OTHER] = clinics as [string, string];
const pseudo = createPseudonymizer('the home clinic secret, synthetic, thirty-two bytes or more');
const template = simulated.find((e) => e.type === 'episode.started' && e.clinicId === HOME);
const own = (local: string, totals: number[]) =>
  builtEpisode({
    clinicId: HOME,
    episodeId: pseudo.episodeId(local),
    clientId: pseudo.clientId(`client-of-${local}`),
    started: template?.payload,
    totals,
  });
const LOCAL_IDS = ['MRN-7781/episode-2', 'MRN-5502/episode-1'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clinics });
  const events = [
    ...simulated,
    // Far above any band at sessions 1-5; and one that improves as expected.
    ...own('MRN-7781/episode-2', [18, 24, 24, 24, 24, 24]),
    ...own('MRN-5502/episode-1', [18, 15, 13, 11, 9, 8]),
  ];
  for (let i = 0; i < events.length; i += 1000) {
    const res = await postEvents(h, { events: events.slice(i, i + 1000) });
    expect(res.status).toBe(200);
    expect((res.json as { rejected: unknown[] }).rejected).toEqual([]);
  }
}, 180_000);
afterAll(async () => h.dispose());

describe('GET /v1/off-track', () => {
  it("gives the clinic's reader its off-track episode, which its secret maps back to the local id", async () => {
    const res = await getJson(h, PATH, { key: h.clinicReaderKey });
    expect(res.status).toBe(200);
    const body = res.json as OffTrackListResult;
    expect(body.truncated).toBe(false);
    expect(body.episodes.every((e) => e.clinic === HOME)).toBe(true);
    const { matched } = reidentify(body.episodes, LOCAL_IDS, pseudo);
    expect(matched).toHaveLength(1);
    expect(matched[0]).toMatchObject({
      localEpisodeId: 'MRN-7781/episode-2',
      band: '16-18',
      session: 5,
      total: 24,
    });
    expect(matched[0]?.expected.p90).toBeLessThan(24);
    // The CSV lists the same episodes; its pseudonyms map back the same way.
    const csv = await getJson(h, PATH, { key: h.clinicReaderKey, accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trim().split('\n');
    expect(header).toBe(
      'episode_id,clinic,baseline_band,session,phq9_total,expected_p10,expected_p50,expected_p90,last_session,release,asOf,definitionsVersion',
    );
    // Every row says it is live, under today's definitions.
    for (const line of lines) expect(line.endsWith(`,,,${DEFINITIONS_VERSION}`)).toBe(true);
    const rows = lines.map((line) => ({ episodeId: line.split(',')[0] ?? '' }));
    expect(rows.map((r) => r.episodeId)).toEqual(body.episodes.map((e) => e.episodeId));
    expect(reidentify(rows, LOCAL_IDS, pseudo).matched.map((m) => m.localEpisodeId)).toEqual([
      'MRN-7781/episode-2',
    ]);
  });

  it('gives the steward every clinic, and nobody else another clinic', async () => {
    const steward = await getJson(h, `${PATH}?clinic=${HOME}`, { key: h.stewardKey });
    expect(steward.status).toBe(200);
    const ids = (steward.json as OffTrackListResult).episodes.map((e) => e.episodeId);
    expect(ids).toContain(pseudo.episodeId('MRN-7781/episode-2'));
    const other = await getJson(h, `${PATH}?clinic=${OTHER}`, { key: h.clinicReaderKey });
    expect(other.status).toBe(403);
    const researcher = await getJson(h, PATH, { key: h.readKey });
    expect(researcher.status).toBe(403);
    expect(errorOf(researcher).message).toMatch(/own clinic and the network data steward/);
    expect((await getJson(h, PATH, { key: null })).status).toBe(401);
    expect((await getJson(h, PATH, { key: h.ingestKey })).status).toBe(401);
  });

  it('refuses parameters that would not narrow a list of episodes', async () => {
    const res = await getJson(h, `${PATH}?condition=major_depression`, { key: h.stewardKey });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_query' });
    expect(errorOf(res).message).toMatch(/unknown query parameter condition/);
    const bad = await getJson(h, `${PATH}?clinic=NOT A CLINIC`, { key: h.stewardKey });
    expect(bad.status).toBe(400);
  });
});
