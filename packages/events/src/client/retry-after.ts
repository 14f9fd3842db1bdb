/**
 * Parsing of the HTTP `Retry-After` header (RFC 9110 section 10.2.3). The ingest sends it with
 * 503 and 429 to say when trying again is worth it; a client that ignores it and retries on its
 * own schedule only adds load to a service that is already struggling.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const DELTA_SECONDS = /^\d+$/;
/** `Sun, 06 Nov 1994 08:49:37 GMT`, the form senders must use. */
const IMF_FIXDATE = new RegExp(`^[A-Za-z]{3}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT`, obsolete but still to be accepted. */
const RFC_850 = new RegExp(`^[A-Za-z]{6,9}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994`, obsolete C asctime(); always UTC. */
const ASCTIME = new RegExp(`^[A-Za-z]{3} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Milliseconds to wait according to a `Retry-After` value, or `undefined` when the header is
 * absent or unparseable (the caller then falls back to its own backoff). A date in the past
 * means "now" (0). Dates are parsed by hand because `Date.parse` reads the asctime form in the
 * local time zone and accepts junk such as `1.5` as a date.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) return Number(text) * 1000;
  const at = parseHttpDate(text, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}

/** Epoch milliseconds of an HTTP-date in any of its three forms, or `undefined`. */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) {
    return utc(match[3], match[2], match[1], match[4], match[5], match[6]);
  }
  match = RFC_850.exec(text);
  if (match !== null) {
    // RFC 9110: a two-digit year more than 50 years ahead is the most recent such year past.
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(match[3]);
    if (year > nowYear + 50) year -= 100;
    return utc(String(year), match[2], match[1], match[4], match[5], match[6]);
  }
  match = ASCTIME.exec(text);
  if (match !== null) {
    return utc(match[6], match[1], match[2]?.trim(), match[3], match[4], match[5]);
  }
  return undefined;
}

function utc(
  yearText: string | undefined,
  monthName: string | undefined,
  dayText: string | undefined,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
): number | undefined {
  const year = Number(yearText);
  const month = MONTHS.indexOf(monthName ?? '');
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (month < 0 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  // A leap second (60) is read as the first second of the next minute.
  date.setUTCHours(hour, minute, second);
  return date.getTime();
}
