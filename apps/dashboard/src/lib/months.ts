import { lastOfMonth } from '@ipt/protocol';

/*
 * Periods are whole months for every reader (docs/outcomes.md, "Disclosure control", "Coarse time"):
 * protected answers refuse anything finer, and one rule for everyone keeps a shared link
 * meaning the same whoever opens it. The URL keeps days, as the API takes them:
 * startedFrom=YYYY-MM-01 and startedTo=YYYY-MM-<last day>.
 */

/** The month (`YYYY-MM`) of a period bound in the URL, day values of older links included. */
export function monthOf(day: string | null): string {
  return /^(\d{4}-\d{2})(-\d{2})?$/.exec(day ?? '')?.[1] ?? '';
}

/** Whether `value` is a whole month `YYYY-MM` (01-12). */
export const isMonth = (value: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** The first day of a month `YYYY-MM`. */
export const firstDayOf = (month: string): string => `${month}-01`;

/** The last day of a month `YYYY-MM` (28, 29, 30 or 31; leap years included). */
export const lastDayOf = (month: string): string => lastOfMonth(`${month}-01`);

/**
 * A period widened to the whole months it touches, so an older link with day values asks what
 * the filter bar shows (its months) and a protected reader is not refused for it.
 */
export function wholeMonths<T extends { startedFrom?: string; startedTo?: string }>(filters: T): T {
  const { startedFrom, startedTo } = filters;
  return {
    ...filters,
    ...(startedFrom === undefined ? {} : { startedFrom: firstDayOf(monthOf(startedFrom)) }),
    ...(startedTo === undefined ? {} : { startedTo: lastDayOf(monthOf(startedTo)) }),
  };
}
