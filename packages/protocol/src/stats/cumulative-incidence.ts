import { ProtocolError } from '../errors.js';
import { Z95 } from './standardisation.js';

/*
 * The Aalen-Johansen estimator of the cumulative incidence of an event in the presence of a
 * competing event, on a discrete time scale (docs/outcomes.md, "Time to reliable improvement": the
 * session number), with its delta-method variance. Sources: Aalen OO, Johansen S (1978), Scand
 * J Stat 5:141-150; Marubini E, Valsecchi MG (1995), Analysing Survival Data from Clinical
 * Trials and Observational Studies, ch. 10; Pintilie M (2006), Competing Risks, ch. 4.
 *
 * Ties at one time: the event and the competing event both count in that time's hazards, over
 * the same risk set; an observation censored at a time is still at risk at that time (censoring
 * comes after the events of its time, the usual convention).
 */

export type CompetingStatus = 'event' | 'competing' | 'censored';

export interface CompetingObservation {
  /** A whole number of at least 0 (here, a session number). */
  readonly time: number;
  readonly status: CompetingStatus;
}

export interface IncidencePoint {
  readonly time: number;
  /** Observations with time >= this time. */
  readonly atRisk: number;
  readonly events: number;
  readonly competing: number;
  readonly censored: number;
  /** F(t): the probability of the event by this time. */
  readonly incidence: number;
  readonly variance: number;
  /** F ± 1.96 √Var, clipped to [0, 1]. */
  readonly ci: [number, number];
}

/**
 * F(t) = Σ_{j ≤ t} S(j-1) d1_j / n_j with S(t) = Π_{j ≤ t} (1 - d_j / n_j), d_j = d1_j + d2_j,
 * at every whole time from the first to the last observed; the delta-method variance
 *
 *   Var F(t) = Σ_{j ≤ t} [F(t) - F(j)]² d_j / (n_j (n_j - d_j))
 *            + Σ_{j ≤ t} S(j-1)² d1_j (n_j - d1_j) / n_j³
 *            - 2 Σ_{j ≤ t} [F(t) - F(j)] S(j-1) d1_j / n_j²,
 *
 * which is the delta method over the hazards (d1_j, d2_j multinomial given n_j). A time at
 * which every observation at risk ends (n_j = d_j) has a first term of 0 (F(t) - F(j) is 0
 * from there on).
 */
export function aalenJohansen(observations: readonly CompetingObservation[]): IncidencePoint[] {
  const counts = new Map<number, SessionCounts>();
  for (const o of observations) {
    if (!Number.isInteger(o.time) || o.time < 0) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `A time to event is a whole number of at least 0; got ${o.time}.`,
      );
    }
    const c = counts.get(o.time) ?? { time: o.time, events: 0, competing: 0, censored: 0 };
    if (o.status === 'event') c.events += 1;
    else if (o.status === 'competing') c.competing += 1;
    else c.censored += 1;
    counts.set(o.time, c);
  }
  return aalenJohansenFromCounts([...counts.values()]);
}

/** How many observations end at one time, by status. */
export interface SessionCounts {
  time: number;
  events: number;
  competing: number;
  censored: number;
}

/**
 * `aalenJohansen` from counts by time (as a warehouse gives them): the same estimate without a
 * record per observation. Times may repeat (their counts add) and need not be sorted.
 */
export function aalenJohansenFromCounts(byTime: readonly SessionCounts[]): IncidencePoint[] {
  const counts = new Map<number, { events: number; competing: number; censored: number }>();
  let total = 0;
  for (const r of byTime) {
    const whole = (x: number) => Number.isInteger(x) && x >= 0;
    if (!whole(r.time) || !whole(r.events) || !whole(r.competing) || !whole(r.censored)) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `Counts by time are whole numbers of at least 0; got ${JSON.stringify(r)}.`,
      );
    }
    const c = counts.get(r.time) ?? { events: 0, competing: 0, censored: 0 };
    c.events += r.events;
    c.competing += r.competing;
    c.censored += r.censored;
    counts.set(r.time, c);
    total += r.events + r.competing + r.censored;
  }
  const times = [...counts.keys()].filter(
    (t) =>
      (counts.get(t)?.events ?? 0) +
        (counts.get(t)?.competing ?? 0) +
        (counts.get(t)?.censored ?? 0) >
      0,
  );
  if (times.length === 0) return [];
  const first = Math.min(...times);
  const last = Math.max(...times);
  // Forward pass: risk sets, survival before each time, incidence.
  const rows: Array<{
    time: number;
    atRisk: number;
    events: number;
    competing: number;
    censored: number;
    survivalBefore: number;
    incidence: number;
  }> = [];
  let atRisk = total;
  let survival = 1;
  let incidence = 0;
  for (let time = first; time <= last; time++) {
    const c = counts.get(time) ?? { events: 0, competing: 0, censored: 0 };
    const survivalBefore = survival;
    if (atRisk > 0) {
      incidence += (survivalBefore * c.events) / atRisk;
      survival *= 1 - (c.events + c.competing) / atRisk;
    }
    rows.push({ time, atRisk, ...c, survivalBefore, incidence });
    atRisk -= c.events + c.competing + c.censored;
  }
  return rows.map((row, index) => {
    let variance = 0;
    for (const j of rows.slice(0, index + 1)) {
      if (j.atRisk === 0) continue;
      const n = j.atRisk;
      const d = j.events + j.competing;
      const gap = row.incidence - j.incidence;
      if (n > d) variance += (gap * gap * d) / (n * (n - d));
      variance += (j.survivalBefore ** 2 * j.events * (n - j.events)) / n ** 3;
      variance -= (2 * gap * j.survivalBefore * j.events) / n ** 2;
    }
    variance = Math.max(0, variance);
    const half = Z95 * Math.sqrt(variance);
    return {
      time: row.time,
      atRisk: row.atRisk,
      events: row.events,
      competing: row.competing,
      censored: row.censored,
      incidence: row.incidence,
      variance,
      ci: [Math.max(0, row.incidence - half), Math.min(1, row.incidence + half)] as [
        number,
        number,
      ],
    };
  });
}
