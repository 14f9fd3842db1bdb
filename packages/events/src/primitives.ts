import { z } from 'zod';
import {
  PSEUDONYM_BODY_LENGTH,
  PSEUDONYM_MAX_RUN,
  PSEUDONYM_MIN_DISTINCT,
  PSEUDONYM_PREFIXES,
  type PseudonymField,
  pseudonymForm,
  pseudonymPattern,
  pseudonymProblem,
} from './pseudonym-rule.js';

/**
 * The field formats that make identifying data hard to send (EVENTS.md, "De-identification by
 * construction"). Each rule's message says what a source's engineer should send instead.
 */

/**
 * A field's pseudonym (pseudonym-rule.ts): its prefix and 30 base64url characters of a keyed
 * hash, as `@ipt/events/client` makes them. Messages say what kind of data a refused value looks
 * like and what to send instead; they never quote the value.
 */
function pseudonymOf(field: PseudonymField) {
  const expected = `must be a pseudonym made by @ipt-outcomes/source: ${pseudonymForm(field)}`;
  return z
    .string({ error: `${expected}; got something that is not a string` })
    .check((ctx) => {
      const problem = pseudonymProblem(ctx.value, field);
      if (problem !== null) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `${expected}; got something that looks like ${problem}`,
        });
      }
    })
    .meta({
      description: `${field} pseudonym made at the source by @ipt-outcomes/source: ${PSEUDONYM_PREFIXES[field]} and ${PSEUDONYM_BODY_LENGTH} base64url characters of a keyed HMAC (or a random token) of the local id, never a raw identifier. The ${PSEUDONYM_BODY_LENGTH} characters must hold at least ${PSEUDONYM_MIN_DISTINCT} different characters and no run of more than ${PSEUDONYM_MAX_RUN} of one character (enforced by the ingest).`,
      pattern: pseudonymPattern(field),
    });
}

/** `clientId`: `c_` and 30 base64url characters of a keyed hash. */
export const clientPseudonym = pseudonymOf('clientId');
/** `episodeId`: `e_` and 30 base64url characters of a keyed hash. */
export const episodePseudonym = pseudonymOf('episodeId');
/** `therapistId`: `t_` and 30 base64url characters of a keyed hash. */
export const therapistPseudonym = pseudonymOf('therapistId');

/** The schema of each pseudonym field. */
export const PSEUDONYM_SCHEMAS = {
  clientId: clientPseudonym,
  episodeId: episodePseudonym,
  therapistId: therapistPseudonym,
} as const;

export const clinicCode = z
  .string({ error: 'must be a clinic code string' })
  .regex(/^[a-z0-9-]{2,32}$/, {
    error: 'must be the network-assigned clinic code: 2-32 characters from a-z, 0-9 and "-"',
  });

export const eventId = z.uuid({
  error: 'must be a UUID (the idempotency key chosen by the source)',
});

/** Dates before this are refused: the platform holds no earlier episodes. */
export const EARLIEST_DATE = '2000-01-01';
/** Dates up to this many days ahead of the server's UTC day pass, to allow for clock skew. */
export const CLOCK_SKEW_DAYS = 1;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Days in each month of a common year; February gains one in leap years. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar day (no 2025-02-29), checked arithmetically: this runs for every event. */
function isCalendarDay(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0));
}

/** The latest day accepted: today (UTC) plus the allowed clock skew. */
export function latestAcceptedDay(now: Date): string {
  const day = new Date(now.getTime() + CLOCK_SKEW_DAYS * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/**
 * A day-precision date. `now` is read at validation time, so a long-running ingest never
 * freezes its notion of "future".
 */
export function isoDay(now: () => Date) {
  // "Today" moves slowly: compute the bound at most once a second, not once per event.
  let cachedAt = Number.NEGATIVE_INFINITY;
  let cachedLatest = '';
  const latest = () => {
    const at = now().getTime();
    if (Math.abs(at - cachedAt) >= 1000) {
      cachedAt = at;
      cachedLatest = latestAcceptedDay(new Date(at));
    }
    return cachedLatest;
  };
  return z
    .string({ error: 'must be a date string YYYY-MM-DD' })
    .check((ctx) => {
      const value = ctx.value;
      if (/^\d{4}-\d{2}-\d{2}[T ]/.test(value)) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: 'has a time; dates are day precision only: send YYYY-MM-DD',
        });
      } else if (!ISO_DAY.test(value) || !isCalendarDay(value)) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: 'must be a calendar date YYYY-MM-DD',
        });
      } else if (value < EARLIEST_DATE) {
        ctx.issues.push({ code: 'custom', input: value, message: `is before ${EARLIEST_DATE}` });
      } else if (value > latest()) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: `is in the future (latest accepted: ${latest()}, UTC)`,
        });
      }
    })
    .meta({
      description: `Day-precision date, ${EARLIEST_DATE} to today (UTC) + ${CLOCK_SKEW_DAYS} day`,
      format: 'date',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    });
}

export function integerIn(min: number, max: number) {
  return z
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of: ${values.join(', ')}` });
}
