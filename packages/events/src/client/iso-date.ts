/**
 * Calendar arithmetic on `YYYY-MM-DD` strings, done entirely in UTC so that shifting a date never
 * depends on the clinic machine's time zone or a daylight-saving transition.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 for a `YYYY-MM-DD` date. Rejects strings that are well formed but not on
 * the calendar (`2023-02-29`, `2024-13-01`), because `Date` would silently roll them over.
 */
export function isoDateToEpochDay(isoDate: string): number {
  const match = typeof isoDate === 'string' ? ISO_DATE.exec(isoDate) : null;
  if (match === null) {
    throw new Error(`Invalid date ${JSON.stringify(isoDate)}: expected YYYY-MM-DD`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    throw new Error(`Invalid date ${JSON.stringify(isoDate)}: not a calendar date`);
  }
  return date.getTime() / MS_PER_DAY;
}

/** The `YYYY-MM-DD` date of an epoch day; throws when the year leaves 0000-9999. */
export function epochDayToIsoDate(epochDay: number): string {
  const date = new Date(epochDay * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (!Number.isInteger(epochDay) || Number.isNaN(date.getTime()) || year < 0 || year > 9999) {
    throw new RangeError(`Epoch day ${epochDay} has no four-digit YYYY-MM-DD representation`);
  }
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${month}-${day}`;
}

/** Adds (or with a negative number, subtracts) whole days to a `YYYY-MM-DD` date. */
export function addDaysToIsoDate(isoDate: string, days: number): string {
  if (!Number.isSafeInteger(days)) {
    throw new RangeError(`Days to add must be an integer, got ${days}`);
  }
  return epochDayToIsoDate(isoDateToEpochDay(isoDate) + days);
}
