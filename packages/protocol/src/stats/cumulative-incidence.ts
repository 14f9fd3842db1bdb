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
 *
 * Delayed entry (left truncation): an observation may enter after time 0, at `entry`, and is at
 * risk only at the times after it, entry < t <= time. That is how a clock starts at a landmark,
 * and how an episode joins a group at the session its exposure began (Simon R, Makuch RW 1984,
 * Stat Med 3:35-44; Dafni U 2011, Circ Cardiovasc Qual Outcomes 4:363-371).
 */

export type CompetingStatus = 'event' | 'competing' | 'censored';

export interface CompetingObservation {
  /** A whole number of at least 0 (here, a session number). */
  readonly time: number;
  readonly status: CompetingStatus;
  /** Delayed entry: at risk only after this time (entry < time). Absent: from the start. */
  readonly entry?: number;
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
  const at = (time: number) => {
    const c = counts.get(time) ?? { time, events: 0, competing: 0, censored: 0 };
    counts.set(time, c);
    return c;
  };
  for (const o of observations) {
    if (!Number.isInteger(o.time) || o.time < 0) {
      throw new ProtocolError(
        'INVALID_ARGUMENT',
        `A time to event is a whole number of at least 0; got ${o.time}.`,
      );
    }
    if (o.entry !== undefined) {
      if (!Number.isInteger(o.entry) || o.entry < 0 || o.entry >= o.time) {
        throw new ProtocolError(
          'INVALID_ARGUMENT',
          `An entry is a whole number of at least 0 before the time; got ${o.entry} for ${o.time}.`,
        );
      }
      const e = at(o.entry);
      e.entered = (e.entered ?? 0) + 1;
    }
    const c = at(o.time);
    if (o.status === 'event') c.events += 1;
    else if (o.status === 'competing') c.competing += 1;
    else c.censored += 1;
  }
  return aalenJohansenFromCounts([...counts.values()]);
}

/** How many observations end at one time, by status, and how many enter at it. */
export interface SessionCounts {
  time: number;
  events: number;
  competing: number;
  censored: number;
  /**
   * Observations entering at this time: at risk from the next time on. Observations no row
   * says entered are at risk from the start.
   */
  entered?: number;
}

/**
 * `aalenJohansen` from counts by time (as a warehouse gives them): the same estimate without a
 * record per observation. Times may repeat (their counts add) and need not be sorted.
 */
export function aalenJohansenFromCounts(byTime: readonly SessionCounts[]): IncidencePoint[] {
  const counts = new Map<number, { events: number; competing: number; censored: number }>();
  const entries = new Map<number, number>();
  let total = 0;
  let entered = 0;
  for (const r of byTime) {
    const whole = (x: number) => Number.isInteger(x) && x >= 0;
    if (
      !whole(r.time) ||
      !whole(r.events) ||
      !whole(r.competing) ||
      !whole(r.censored) ||
      !whole(r.entered ?? 0)
    ) {
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
    if ((r.entered ?? 0) > 0) {
      entries.set(r.time, (entries.get(r.time) ?? 0) + (r.entered ?? 0));
      entered += r.entered ?? 0;
    }
  }
  if (entered > total) {
    throw new ProtocolError(
      'INVALID_ARGUMENT',
      `More observations enter (${entered}) than end (${total}).`,
    );
  }
  const times = [...counts.keys()].filter(
    (t) =>
      (counts.get(t)?.events ?? 0) +
        (counts.get(t)?.competing ?? 0) +
        (counts.get(t)?.censored ?? 0) >
      0,
  );
  if (times.length === 0) return [];
  // The first time anyone is at risk: an observation from the start ends there at the earliest,
  // an entering one is at risk from the time after its entry.
  const first = Math.min(...times, ...[...entries.keys()].map((t) => t + 1));
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
  let atRisk =
    total - entered + [...entries].filter(([t]) => t < first).reduce((n, [, e]) => n + e, 0);
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
    atRisk += (entries.get(time) ?? 0) - (c.events + c.competing + c.censored);
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
