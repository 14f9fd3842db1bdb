// Benchmark of the signals for care over a warehouse of 1M episodes (BENCH_EPISODES), through
// HTTP, p50 and p95 of 20 requests after 3 warm-ups each:
// - time to reliable improvement by the plan's sessions bucket (GET /v1/time-to-improvement),
//   exact (the steward) and protected (a researcher);
// - off track: a clinic reader's list of its open episodes off track (GET /v1/off-track), the
//   steward's list over every clinic, and the clinic audit with the share off track per clinic
//   (tRPC outcomes.audit, exact and protected), each judging every episode against the
//   network's expected curves computed in the same request;
// - the case-mix adjusted comparison of IPT alone and with medication (GET /v1/outcomes with
//   adjust=caseMix), exact and protected;
// - the expected curves (tRPC care.expectedRecovery, protected).
// Target (issue 11): p95 under 1 s for time to improvement and the off-track procedures.
import { rmSync } from 'node:fs';
import { defineQuery, Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import { benchServer, episodesWarehouse, timeRequests } from './episodes-warehouse.mjs';

const episodes = Number(process.env.BENCH_EPISODES ?? 1_000_000);
const secret = Buffer.alloc(32, 5);
const { dataDir, loadSeconds } = await episodesWarehouse({ episodes, secret, name: 'care' });

// The largest clinic: its reader's own list.
const clinic = await (async () => {
  const warehouse = new Warehouse({ mode: 'embedded', dataDir });
  const [row] = await warehouse.query(
    defineQuery({
      name: 'bench.largest_clinic',
      sql: 'SELECT clinic_id FROM episodes GROUP BY clinic_id ORDER BY count() DESC LIMIT 1',
      params: z.object({}),
      row: z.object({ clinic_id: z.string() }),
    }),
    {},
  );
  await warehouse.close();
  return row.clinic_id;
})();
const {
  running,
  keys: [researcher, steward, clinicReader],
} = await benchServer({
  dataDir,
  secret,
  readers: [
    { name: 'bench', role: 'researcher' },
    { name: 'bench-steward', role: 'steward' },
    { name: 'bench-clinic', role: 'clinic', clinics: [clinic] },
  ],
});
const as = (k) => ({ headers: { authorization: `Bearer ${k.key}` } });
const rounds = { rounds: 20, warmups: 3 };
const trpc = (procedure, input) =>
  `${running.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

const timeToImprovement = {
  exact: await timeRequests(
    `${running.url}/v1/time-to-improvement?groupBy=plannedSessions`,
    as(steward),
    rounds,
  ),
  protected: await timeRequests(
    `${running.url}/v1/time-to-improvement?groupBy=plannedSessions`,
    as(researcher),
    rounds,
  ),
};
const listed = await (await fetch(`${running.url}/v1/off-track`, as(clinicReader))).json();
const everyClinic = await (await fetch(`${running.url}/v1/off-track`, as(steward))).json();
const offTrack = {
  clinicList: await timeRequests(`${running.url}/v1/off-track`, as(clinicReader), rounds),
  stewardList: await timeRequests(`${running.url}/v1/off-track`, as(steward), rounds),
  auditExact: await timeRequests(
    trpc('outcomes.audit', { level: 'clinic', filters: {} }),
    as(steward),
    rounds,
  ),
  auditProtected: await timeRequests(
    trpc('outcomes.audit', { level: 'clinic', filters: {} }),
    as(researcher),
    rounds,
  ),
};
// Case-mix adjusted comparison of IPT alone and with medication (OUTCOMES.md, "Adjusted
// comparisons"), beside the plain breakdown in the same answer.
const adjusted = {
  exact: await timeRequests(
    `${running.url}/v1/outcomes?groupBy=medication&adjust=caseMix`,
    as(steward),
    rounds,
  ),
  protected: await timeRequests(
    `${running.url}/v1/outcomes?groupBy=medication&adjust=caseMix`,
    as(researcher),
    rounds,
  ),
};
const expectedRecovery = await timeRequests(
  trpc('care.expectedRecovery', { filters: {} }),
  as(researcher),
  rounds,
);
await running.stop();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'care.signals',
    episodes,
    loadSeconds,
    timeToImprovement,
    adjusted,
    offTrack,
    expectedRecovery,
    listed: { clinic: listed.episodes.length, steward: everyClinic.episodes.length },
    rss: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
