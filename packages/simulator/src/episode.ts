import type { CatalogEvent } from '@ipt/events';
import type { Adaptation, AgeBand, Phase, ProblemArea } from '@ipt/protocol';
import { fromEpochDay } from './calendar.js';
import {
  ADULT_AGE_MIX,
  CONDITION_MIX,
  EARLY_END_MIX,
  MEDICATION_CLASS_MIX,
  MODALITY_MIX,
  PROBLEM_AREA_EFFECT,
  PROBLEM_AREA_MIX,
  SEX_MIX,
} from './mixes.js';
import type { Clinic } from './network.js';
import { itemsForTotal } from './phq9-items.js';
import { pseudonymFromToken } from './pseudonym.js';
import type { Rng } from './random.js';

/**
 * One synthetic episode, from referral to follow-up, as the events a clinic system would send.
 *
 * Model: a baseline PHQ-9, and a remaining-symptom ratio (endpoint / baseline) the course would
 * reach if completed; scores approach it along a saturating curve, so early leavers improve
 * less. The ratio is shifted by problem area, clinic, therapist and medication (combined
 * treatment slightly better: g ~ 0.24, Cuijpers 2016). Calibrated so that, over a network,
 * pre-post d ~ 1.0-1.3 and response ~ 50% (docs/outcomes.md, "Calibration").
 */
export interface EpisodeDraw {
  clinic: Clinic;
  /** Epoch day of intake. */
  startDay: number;
  /** Epoch day after which nothing has happened yet: later events are not emitted. */
  untilDay: number;
}

/** Probability an episode drops out (Cooper & Conklin 2015: ~ 18-20% in IPT trials). */
export const DROPOUT_RATE = 0.2;
/** Probability an episode ends early for another reason (referral, maintenance, other). */
const EARLY_END_RATE = 0.04;
/** Time constant (sessions) of the improvement curve. */
const IMPROVEMENT_TAU = 4.5;

const DROPOUT_AFTER: Record<string, number> = {
  '1': 17,
  '2': 16,
  '3': 14,
  '4': 12,
  '5': 10,
  '6': 8,
  '7': 7,
  '8': 6,
  '9': 5,
  '10': 5,
};

export function simulateEpisode(rng: Rng, draw: EpisodeDraw): CatalogEvent[] {
  const { clinic } = draw;
  // Tokens drawn as always (the random stream is calibrated), spelt as catalog pseudonyms.
  const clientId = pseudonymFromToken('clientId', rng.token('c_'));
  const episodeId = pseudonymFromToken('episodeId', rng.token('e_'));
  const therapistIndex = rng.int(0, clinic.therapists.length - 1);
  const therapistId =
    clinic.therapists[therapistIndex] ?? pseudonymFromToken('therapistId', rng.token('t_', 20));
  const events: CatalogEvent[] = [];
  const push = (day: number, body: Pick<CatalogEvent, 'type' | 'payload'>) => {
    events.push({
      id: rng.uuid(),
      schemaVersion: 1,
      clinicId: clinic.clinicId,
      clientId,
      episodeId,
      occurredOn: fromEpochDay(day),
      ...body,
    } as CatalogEvent);
  };

  // Who comes, with what, for which kind of IPT.
  const condition = rng.weighted(CONDITION_MIX);
  const adolescent = clinic.specialty === 'adolescent' ? rng.chance(0.7) : rng.chance(0.05);
  let ageBand: AgeBand = adolescent ? '12-17' : rng.weighted(ADULT_AGE_MIX);
  let sex = rng.weighted(SEX_MIX);
  if (condition === 'perinatal_depression') {
    sex = 'female';
    ageBand = rng.pick(['18-24', '25-34', '35-44'] as const);
  }
  const adaptation = chooseAdaptation(rng, clinic, ageBand, condition);
  const plannedSessions = PLANNED_SESSIONS[adaptation](rng);
  const modality = rng.weighted(MODALITY_MIX);
  push(draw.startDay, {
    type: 'episode.started',
    payload: {
      therapistId,
      ageBand,
      ...(rng.chance(0.97) ? { sex } : {}),
      condition,
      adaptation,
      modality,
      plannedSessions,
    },
  });

  // Medication: a third of episodes, half already on it at intake.
  const medicationDraw = rng.next();
  const medication =
    medicationDraw < 0.17 ? 'continuing' : medicationDraw < 0.33 ? 'started' : null;
  const medicationClass = rng.weighted(MEDICATION_CLASS_MIX);
  if (medication === 'continuing') {
    push(draw.startDay, {
      type: 'medication.changed',
      payload: { action: 'ongoing_at_intake', medicationClass, sessionNumber: 0 },
    });
  }

  // Severity and the course it would take.
  const baseline = clamp(Math.round(rng.normal(15.5, 6.2)), 1, 27);
  const area = rng.weighted(PROBLEM_AREA_MIX);
  const therapistEffect = clinic.therapistEffects[therapistIndex] ?? 0;
  // A few get worse during treatment (reliable deterioration runs at ~5% in routine services:
  // NHS Talking Therapies annual reports); the rest follow the usual improving course.
  const worsening = rng.chance(0.06);
  const completedRatio = clamp(
    (worsening ? 1 + rng.normal(8, 2.5) / Math.max(baseline, 4) : rng.normal(0.44, 0.28)) +
      PROBLEM_AREA_EFFECT[area] +
      clinic.effect +
      therapistEffect -
      (medication === null ? 0 : 0.05),
    0.02,
    4,
  );

  // How the course ends.
  const endDraw = rng.next();
  let attendedTarget: number;
  let endReason: 'completed' | 'dropped_out' | 'referred_on' | 'moved_to_maintenance' | 'other';
  if (endDraw < DROPOUT_RATE) {
    endReason = 'dropped_out';
    attendedTarget = Math.min(Number(rng.weighted(DROPOUT_AFTER)), plannedSessions - 1);
  } else if (endDraw < DROPOUT_RATE + EARLY_END_RATE) {
    endReason = rng.weighted(EARLY_END_MIX);
    attendedTarget = rng.int(Math.min(3, plannedSessions), plannedSessions);
  } else {
    endReason = 'completed';
    const extended = rng.chance(0.05) ? rng.int(1, 4) : 0;
    attendedTarget = Math.max(
      1,
      plannedSessions - (rng.chance(0.35) ? rng.int(1, 3) : 0) + extended,
    );
  }
  // Early leavers were improving less: the ratio they were heading for is worse.
  const ratio = endReason === 'dropped_out' ? completedRatio + 0.15 : completedRatio;

  const trueScore = (session: number) => {
    const progress = Math.min(
      1.05,
      (1 - Math.exp(-session / IMPROVEMENT_TAU)) /
        (1 - Math.exp(-plannedSessions / IMPROVEMENT_TAU)),
    );
    return baseline * (1 - (1 - ratio) * progress);
  };
  // Thoughts of death or self-harm: more likely the more severe; item 9 eases with the rest.
  const ideation = rng.chance(Math.min(0.45, 0.04 + baseline / 60));
  const recordPhq9 = (
    day: number,
    total: number,
    timepoint: 'intake' | 'session' | 'end',
    sessionNumber: number,
  ) =>
    push(day, {
      type: 'phq9.recorded',
      payload: {
        items: itemsForTotal(rng, total, ideation && total >= 8),
        timepoint,
        sessionNumber,
      },
    });

  // Measurement lapses, the main cause of unpaired courses in routine services: some episodes
  // are never scored after intake, some miss the baseline window.
  const lapse = rng.weighted({ none: 94, noFollowThrough: 3.5, lateStart: 2.5 });
  const measured = (session: number, rate: number) =>
    !(lapse === 'noFollowThrough' && session > 0) &&
    !(lapse === 'lateStart' && session <= 2) &&
    rng.chance(rate);

  // Intake.
  if (measured(0, Math.min(0.98, clinic.measurementRate + 0.06))) {
    recordPhq9(draw.startDay, baseline, 'intake', 0);
  }
  if (clinic.sendsPhaseChanges) {
    push(draw.startDay, { type: 'phase.changed', payload: { to: 'initial', sessionNumber: 0 } });
  }

  // Problem area: usually by session 2 or 3, sometimes late, a few never.
  const areaDraw = rng.next();
  const identifiedAt =
    areaDraw < 0.2
      ? 1
      : areaDraw < 0.66
        ? 2
        : areaDraw < 0.9
          ? 3
          : areaDraw < 0.96
            ? rng.int(4, 6)
            : null;
  const secondary = rng.chance(0.2) ? rng.pick(OTHER_AREAS[area]) : null;
  const revisedTo = rng.chance(0.02) ? rng.pick(OTHER_AREAS[area]) : null;
  const medicationStartsAt = medication === 'started' ? rng.int(1, 6) : null;

  const middleFrom = Math.min(4, plannedSessions);
  const terminationFrom = Math.max(middleFrom + 1, plannedSessions - 2);
  const phaseAt = (s: number): Phase =>
    s < middleFrom ? 'initial' : s < terminationFrom ? 'middle' : 'termination';

  let day = draw.startDay + rng.int(3, 10);
  let lastSessionDay = draw.startDay;
  for (let s = 1; s <= attendedTarget; s++) {
    if (rng.chance(0.07)) {
      push(day, {
        type: 'session.missed',
        payload: {
          sessionNumber: s,
          reason: rng.weighted({ cancelled_by_client: 5, no_show: 4, cancelled_by_clinic: 1 }),
        },
      });
      day += 7;
    }
    const phase = phaseAt(s);
    if (clinic.sendsPhaseChanges && s > 1 && phase !== phaseAt(s - 1)) {
      push(day, { type: 'phase.changed', payload: { to: phase, sessionNumber: s } });
    }
    const sessionModality =
      modality === 'mixed' ? rng.pick(['in_person', 'online'] as const) : modality;
    push(day, {
      type: 'session.attended',
      payload: {
        sessionNumber: s,
        phase,
        modality: sessionModality,
        ...(rng.chance(0.3) ? { therapistId } : {}),
      },
    });
    const last = s === attendedTarget && endReason === 'completed';
    if (
      measured(s, last ? Math.min(0.99, clinic.measurementRate + 0.08) : clinic.measurementRate)
    ) {
      const observed = clamp(Math.round(trueScore(s) + rng.normal(0, 2)), 0, 27);
      recordPhq9(day, observed, last ? 'end' : 'session', s);
    }
    if (identifiedAt === s) {
      push(day, {
        type: 'problem_area.identified',
        payload: { area, primary: true, sessionNumber: s },
      });
      if (secondary !== null) {
        push(day, {
          type: 'problem_area.identified',
          payload: { area: secondary, primary: false, sessionNumber: s },
        });
      }
    }
    if (revisedTo !== null && identifiedAt !== null && s === identifiedAt + 3) {
      push(day, {
        type: 'problem_area.identified',
        payload: { area: revisedTo, primary: true, sessionNumber: s },
      });
    }
    if (medicationStartsAt === s) {
      push(day, {
        type: 'medication.changed',
        payload: { action: 'started', medicationClass, sessionNumber: s },
      });
    }
    if (medication !== null && s === 8 && rng.chance(0.2)) {
      push(day, {
        type: 'medication.changed',
        payload: { action: 'dose_changed', medicationClass, sessionNumber: s },
      });
    }
    lastSessionDay = day;
    day += rng.chance(0.1) ? 14 : 7;
  }

  // The end: recorded at the last session, or weeks later for those who stopped coming.
  const endDay =
    endReason === 'dropped_out' ? lastSessionDay + rng.int(14, 35) : lastSessionDay + rng.int(0, 7);
  push(endDay, {
    type: 'episode.ended',
    payload: {
      reason: endReason,
      relapsePreventionPlan: endReason === 'completed' ? rng.chance(0.85) : rng.chance(0.1),
    },
  });

  // Follow-up for a third of completers; some relapse.
  if (endReason === 'completed' && rng.chance(0.35)) {
    const weeksAfterEnd = rng.pick([4, 12, 26] as const);
    const total = clamp(Math.round(trueScore(attendedTarget) + rng.normal(1, 3)), 0, 27);
    push(endDay + weeksAfterEnd * 7, {
      type: 'phq9.recorded',
      payload: {
        items: itemsForTotal(rng, total, ideation && total >= 8),
        timepoint: 'follow_up',
        sessionNumber: attendedTarget,
        weeksAfterEnd,
      },
    });
  }

  addCorrections(rng, events, push);
  return events.filter((event) => event.occurredOn <= fromEpochDay(draw.untilDay));
}

/**
 * Data-entry errors and their corrections, as real feeds have them: a PHQ-9 keyed against the
 * wrong session and retracted, a session entered twice and the copy retracted.
 */
function addCorrections(
  rng: Rng,
  events: CatalogEvent[],
  push: (day: number, body: Pick<CatalogEvent, 'type' | 'payload'>) => void,
): void {
  const draw = rng.next();
  const target = draw < 0.02 ? 'phq9.recorded' : draw < 0.03 ? 'session.attended' : null;
  if (target === null) return;
  const candidates = events.filter((e) => e.type === target);
  const original = candidates.length > 0 ? rng.pick(candidates) : undefined;
  if (original === undefined) return;
  const day = Math.round(Date.parse(`${original.occurredOn}T00:00:00Z`) / 86_400_000);
  const before = events.length;
  if (original.type === 'phq9.recorded') {
    const wrong = clamp(scoreOf(original.payload.items) + rng.pick([-9, -7, 7, 9]), 0, 27);
    push(day, {
      type: 'phq9.recorded',
      payload: {
        ...original.payload,
        items: itemsForTotal(rng, wrong, original.payload.items[8] !== 0),
      },
    });
  } else {
    push(day, { type: 'session.attended', payload: original.payload });
  }
  const mistake = events[before];
  if (mistake === undefined) return;
  push(day + rng.int(1, 10), {
    type: 'event.retracted',
    payload: {
      eventId: mistake.id,
      reason: original.type === 'phq9.recorded' ? 'entered_in_error' : 'duplicate',
    },
  });
}

const OTHER_AREAS: Record<ProblemArea, ProblemArea[]> = {
  grief: ['role_transition', 'role_dispute', 'interpersonal_deficits'],
  role_transition: ['grief', 'role_dispute', 'interpersonal_deficits'],
  role_dispute: ['grief', 'role_transition', 'interpersonal_deficits'],
  interpersonal_deficits: ['grief', 'role_transition', 'role_dispute'],
};

const PLANNED_SESSIONS: Record<Adaptation, (rng: Rng) => number> = {
  standard: (rng) => rng.pick([12, 14, 16, 16, 16]),
  adolescent: () => 12,
  perinatal: (rng) => rng.pick([12, 12, 16]),
  ipsrt: () => 20,
  group: () => 12,
  brief: () => 8,
  other: (rng) => rng.int(8, 16),
};

function chooseAdaptation(
  rng: Rng,
  clinic: Clinic,
  ageBand: AgeBand,
  condition: string,
): Adaptation {
  if (ageBand === '12-17') return 'adolescent';
  if (condition === 'perinatal_depression') return 'perinatal';
  if (condition === 'bipolar_disorder') return 'ipsrt';
  if (clinic.specialty === 'group' && rng.chance(0.5)) return 'group';
  return rng.weighted({ standard: 84, brief: 8, group: 5, other: 3 });
}

function scoreOf(items: readonly number[]): number {
  return items.reduce((sum, item) => sum + item, 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
