/** Dates as the mapping needs them: the day of a FHIR date or dateTime, ages, week gaps. */
import { AGE_BANDS, type AgeBand } from '@ipt/protocol';

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** `2026-03-02` of a FHIR date or dateTime; undefined for a partial date (`2026-03`). */
export function dayOf(value: string | undefined): string | undefined {
  const match = value === undefined ? null : DAY.exec(value);
  return match === null ? undefined : `${match[1]}-${match[2]}-${match[3]}`;
}

function utc(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** Whole years of age on a day; the band is computed here, at the clinic, never sent raw. */
export function ageBandOn(birthDate: string, day: string): AgeBand | undefined {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return AGE_BANDS.find((band) => {
    const [low, high] = band.endsWith('+')
      ? [Number(band.slice(0, -1)), Number.POSITIVE_INFINITY]
      : band.split('-').map(Number);
    return age >= (low ?? 0) && age <= (high ?? -1);
  });
}
