/** Day arithmetic on `YYYY-MM-DD` dates in UTC, through epoch days (fast, no time zones). */
const DAY_MS = 86_400_000;

export function toEpochDay(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${isoDate}`);
  return Math.round(ms / DAY_MS);
}

export function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
