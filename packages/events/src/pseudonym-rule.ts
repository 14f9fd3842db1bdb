/**
 * The pseudonym rule of the contract (docs/events.md, "Pseudonyms"), without zod so that the
 * source-side client and the simulator can apply it too.
 *
 * A pseudonym is the field's own prefix (`c_` clientId, `e_` episodeId, `t_` therapistId) and
 * exactly 30 base64url characters, the form `@ipt/events/client` makes from a keyed HMAC. The
 * shape alone would still pass an accidental identifier padded to length
 * (`e_JaneDoe_______________________`), so the 30 characters must also look like hash output:
 *
 * - at least 12 different characters among the 30, and
 * - no character repeated 8 or more times in a row.
 *
 * False rejections: for 30 independent uniform base64url characters (what an HMAC-SHA-256 or a
 * random token yields), P(fewer than 12 distinct, or a run of 8+) = 9.38e-12, computed exactly by
 * dynamic programming over (distinct so far, current run length); the distinct part alone is
 * 4.23e-12, the run part alone 5.15e-12. Measured: 0 failures among 5,000,000 HMAC-SHA-256
 * outputs (4 secrets), whose distinct-count histogram matches the exact distribution. Over 100
 * million pseudonyms that is a 0.1% chance that a single one is ever refused, and
 * `createPseudonymizer` re-derives such a one, so what it makes always passes. Requiring 16
 * distinct characters instead would refuse 1 keyed hash in 534,000 (exact 1.87e-6; measured 8 in
 * 5,000,000): far too many, since a refused HMAC is refused for ever.
 */

/** The prefix each pseudonym field requires. */
export const PSEUDONYM_PREFIXES = {
  clientId: 'c_',
  episodeId: 'e_',
  therapistId: 't_',
} as const;

export type PseudonymField = keyof typeof PSEUDONYM_PREFIXES;

/** base64url characters after the prefix: 180 bits of a keyed hash. */
export const PSEUDONYM_BODY_LENGTH = 30;
/** The fewest different characters the 30 may hold. */
export const PSEUDONYM_MIN_DISTINCT = 12;
/** The longest run of one repeated character the 30 may hold. */
export const PSEUDONYM_MAX_RUN = 7;

/** The shape of a field's pseudonym, as a regular expression source (also the JSON Schema). */
export function pseudonymPattern(field: PseudonymField): string {
  return `^${PSEUDONYM_PREFIXES[field]}[A-Za-z0-9_-]{${PSEUDONYM_BODY_LENGTH}}$`;
}

const BODY = new RegExp(`^[A-Za-z0-9_-]{${PSEUDONYM_BODY_LENGTH}}$`);

/** Whether 30 base64url characters have the variety of a keyed hash (the entropy check). */
export function looksRandom(body: string): boolean {
  const seen = new Set<number>();
  let run = 0;
  let previous = -1;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    run = code === previous ? run + 1 : 1;
    if (run > PSEUDONYM_MAX_RUN) return false;
    previous = code;
    seen.add(code);
  }
  return seen.size >= PSEUDONYM_MIN_DISTINCT;
}

/** The part after a prefix, when it is 30 base64url characters of a keyed hash. */
export function isPseudonymBody(body: string): boolean {
  return BODY.test(body) && looksRandom(body);
}

/** Whether a value is a valid pseudonym for the field. */
export function isPseudonym(value: unknown, field: PseudonymField): boolean {
  const prefix = PSEUDONYM_PREFIXES[field];
  return typeof value === 'string' && value.startsWith(prefix) && isPseudonymBody(value.slice(2));
}

/** What the rule expects for a field, in words for the error messages and docs. */
export function pseudonymForm(field: PseudonymField): string {
  return `${PSEUDONYM_PREFIXES[field]} followed by ${PSEUDONYM_BODY_LENGTH} base64url characters of a keyed hash of the local id`;
}

const withArticle = (field: PseudonymField) => `${/^[aeiou]/.test(field) ? 'an' : 'a'} ${field}`;

const FIELD_OF_PREFIX = new Map<string, PseudonymField>(
  Object.entries(PSEUDONYM_PREFIXES).map(([field, prefix]) => [prefix, field as PseudonymField]),
);

/*
 * Hints: what a refused value looks like, so a source's engineer recognises the mistake. They
 * name a kind of data, never the value, which is likely to identify someone.
 */
const EMAIL =
  /@|\(at\)|\[at\]|(^|[^a-z])at[_.-][a-z0-9-]+[_.-](org|com|net|edu|gov|nhs|co|uk|ac|io|de|fr|us)([^a-z]|$)/i;
const WEB_ADDRESS = /^(https?|ftp)(:|_|-|$)|:\/\/|(^|[^a-z])www[._-]/i;
const IP_ADDRESS = /(^|[^0-9])\d{1,3}([._-])\d{1,3}\2\d{1,3}\2\d{1,3}([^0-9]|$)/;
const DATE =
  /(19|20)\d{2}[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])|(0[1-9]|[12]\d|3[01])[-_./]?(0[1-9]|1[0-2])[-_./]?(19|20)\d{2}/;
const UK_POSTCODE = /(^|[^A-Za-z])[A-Z]{1,2}\d[A-Z\d]?[\s_-]?\d[A-Z]{2}([^A-Za-z]|$)/i;
const US_ZIP = /^\d{5}(-\d{4})?$/;
const STREET =
  /\d+[a-z]?[\s_-]+([a-z]+[\s_-]+)*(street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|place|square|high)([^a-z]|$)/i;
const LONG_DIGITS = /\d{5,}/;
const RECORD_NUMBER =
  /^(mrn|nhs|ssn|nino?|ni|id|case|patient|pt|chart|record|rec|tel|phone|mob|mobile|fax|dob|no)([^a-z]|$)/i;
const HAS_LETTER = /[A-Za-z]/;
/** Longer values get a hint without looking inside them. */
const MAX_HINTED_LENGTH = 128;
const SPACE = /\s/;
const WORDS = /^[A-Za-z]+([\s_.'-]+[A-Za-z]+)*$/;

/**
 * Why a value is not a pseudonym for the field, as "something that looks like ...", or null when
 * it is one. Never contains the value.
 */
export function pseudonymProblem(value: string, field: PseudonymField): string | null {
  if (isPseudonym(value, field)) return null;
  const prefix = PSEUDONYM_PREFIXES[field];
  // The hints' patterns are not linear on long input; a body may carry a megabyte of it.
  if (value.length > MAX_HINTED_LENGTH) {
    return `a long text (over ${MAX_HINTED_LENGTH} characters), not a pseudonym`;
  }
  const other = FIELD_OF_PREFIX.get(value.slice(0, 2));
  const body = other === undefined ? value : value.slice(2);
  if (other !== undefined && isPseudonymBody(body)) {
    return `the ${PSEUDONYM_PREFIXES[other]} pseudonym of ${withArticle(other)} (${withArticle(field)} starts with ${prefix})`;
  }
  if (EMAIL.test(value)) return 'an email address';
  if (WEB_ADDRESS.test(value)) return 'a web address (URL)';
  if (IP_ADDRESS.test(value)) return 'an IP address';
  if (!HAS_LETTER.test(body)) {
    return US_ZIP.test(body)
      ? 'a ZIP code'
      : DATE.test(body)
        ? 'a date, such as a birth date'
        : 'a record number, phone number or SSN (it has no letter)';
  }
  if (DATE.test(value)) return 'a date, such as a birth date';
  if (STREET.test(value)) return 'a street address';
  if (UK_POSTCODE.test(body)) return 'a postcode';
  if (RECORD_NUMBER.test(body) || LONG_DIGITS.test(body)) {
    return 'a record, phone or national number (it has a run of digits)';
  }
  if (SPACE.test(value)) return 'a name, address or free text (it has spaces)';
  if (other !== undefined && BODY.test(body)) {
    return 'an identifier padded to length (too few different characters, or one repeated many times in a row)';
  }
  if (WORDS.test(body)) return 'a name or a word';
  if (other !== undefined) {
    return `a pseudonym of the wrong length (${body.length} characters after the prefix, ${PSEUDONYM_BODY_LENGTH} expected)`;
  }
  return `an identifier that is not a pseudonym (it does not start with ${prefix})`;
}
