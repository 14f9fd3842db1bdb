import type { Adaptation } from '@ipt/protocol';
import { pseudonymFromToken } from './pseudonym.js';
import { Rng } from './random.js';

/** A synthetic clinic: its code, its therapists, and the traits that make clinics differ. */
export interface Clinic {
  clinicId: string;
  /** Relative share of the network's episodes. */
  weight: number;
  therapists: string[];
  /** Per-therapist shift of the remaining-symptom ratio (positive is worse). */
  therapistEffects: number[];
  /** Clinic shift of the remaining-symptom ratio (positive is worse). */
  effect: number;
  /** Probability a PHQ-9 is recorded at an attended session. */
  measurementRate: number;
  /** Probability the source system also sends phase.changed events. */
  sendsPhaseChanges: boolean;
  /** A specialist service adds an adaptation it mostly delivers. */
  specialty: Adaptation | null;
}

const PLACES = [
  'ashdown',
  'bramley',
  'carrow',
  'dunmore',
  'elmfield',
  'fairholm',
  'glenrock',
  'harwood',
  'ivybridge',
  'juniper',
  'kestrel',
  'larchmont',
  'millbrook',
  'northgate',
  'oakhurst',
  'pinecrest',
  'quarry',
  'redhill',
  'stonebay',
  'thornley',
  'upton',
  'valemoor',
  'westfold',
  'yarrow',
  'zephyr',
];

/**
 * Builds the clinics of a network from the seed alone. Clinic sizes are log-normal, so a few
 * large services sit beside many small ones, as in real networks; a few clinics have poor
 * measurement so completeness audits have something to find.
 */
export function createNetwork(seed: number, clinics: number): Clinic[] {
  if (!Number.isInteger(clinics) || clinics < 1 || clinics > 10_000) {
    throw new RangeError(`clinics must be an integer from 1 to 10000, got ${clinics}`);
  }
  const network: Clinic[] = [];
  for (let i = 0; i < clinics; i++) {
    const rng = new Rng(seed, 'clinic', i);
    const place = PLACES[i % PLACES.length] ?? 'clinic';
    const therapistCount = rng.int(3, 12);
    const therapists = Array.from({ length: therapistCount }, () =>
      pseudonymFromToken('therapistId', rng.token('t_', 20)),
    );
    const poorMeasurement = rng.chance(0.08);
    network.push({
      clinicId: `${place}-${String(Math.floor(i / PLACES.length) + 1).padStart(2, '0')}`,
      weight: Math.exp(rng.normal(0, 0.6)),
      therapists,
      therapistEffects: therapists.map(() => rng.normal(0, 0.05)),
      effect: rng.normal(0, 0.05),
      measurementRate: poorMeasurement ? 0.55 + 0.2 * rng.next() : 0.88 + 0.11 * rng.next(),
      sendsPhaseChanges: rng.chance(0.7),
      specialty: rng.chance(0.15) ? rng.pick(['adolescent', 'perinatal', 'group'] as const) : null,
    });
  }
  return network;
}

/** Picks a clinic in proportion to its weight (cumulative table built once per network). */
export function clinicPicker(network: readonly Clinic[]): (rng: Rng) => Clinic {
  const cumulative: number[] = [];
  let total = 0;
  for (const clinic of network) {
    total += clinic.weight;
    cumulative.push(total);
  }
  return (rng) => {
    const draw = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? total) > draw) hi = mid;
      else lo = mid + 1;
    }
    const clinic = network[lo];
    if (clinic === undefined) throw new Error('empty network');
    return clinic;
  };
}
