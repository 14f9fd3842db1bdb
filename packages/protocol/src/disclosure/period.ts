/*
 * Coarse time (docs/outcomes.md, "Disclosure control"): periods of protected views are whole months.
 * Two periods a day apart differ by the few episodes that started on that day; two whole months
 * differ by a month's worth.
 */

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): { year: number; month: number; date: number } | null {
  const match = ISO_DAY.exec(day);
  if (match === null) return null;
  return { year: Number(match[1]), month: Number(match[2]), date: Number(match[3]) };
}

/** Whether `day` (YYYY-MM-DD) is the first day of its month. */
export function isFirstOfMonth(day: string): boolean {
  return parts(day)?.date === 1;
}

/** Whether `day` (YYYY-MM-DD) is the last day of its month (leap years included). */
export function isLastOfMonth(day: string): boolean {
  const p = parts(day);
  if (p === null) return false;
  const last = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return p.date === last;
}

/** The last day of the month of `day`, as YYYY-MM-DD. */
export function lastOfMonth(day: string): string {
  const p = parts(day);
  if (p === null) throw new RangeError(`not a date YYYY-MM-DD: ${day}`);
  const last = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return `${day.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

/**
 * Why a period is finer than whole months, or null when it is whole months: it must start on
 * the first of a month and end on the last day of one.
 */
export function finerThanMonthProblem(period: {
  from?: string | undefined;
  to?: string | undefined;
}): string | null {
  const problems: string[] = [];
  if (period.from !== undefined && !isFirstOfMonth(period.from)) {
    problems.push(`startedFrom ${period.from} must be a month (YYYY-MM) or the first day of one`);
  }
  if (period.to !== undefined && !isLastOfMonth(period.to)) {
    problems.push(`startedTo ${period.to} must be a month (YYYY-MM) or the last day of one`);
  }
  // The same words wherever a month is required: a protected answer of the API (400) and the
  // dashboard's pages, whose filter bar asks months of every reader (a notice).
  return problems.length === 0 ? null : `periods are whole months: ${problems.join('; ')}`;
}
