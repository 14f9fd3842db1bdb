/**
 * Inputs that would let a record be traced to a person. Every one must be rejected by
 * validateEvent and, in the ingest, leave nothing stored. Synthetic values only: example.org
 * addresses, Ofcom drama phone numbers, the NHS's published test number, TEST-NET and private IP
 * addresses, fictional names and streets.
 */
import { PSEUDONYM_PREFIXES, type PseudonymField } from '../pseudonym-rule.js';
import { SAMPLES, variantOf } from './samples.js';

const started = SAMPLES['episode.started'];
const attended = SAMPLES['session.attended'];

/** Pads a value to a pseudonym's length (prefix + 30) with one repeated character. */
const padded = (prefix: string, core: string, pad: string) =>
  `${prefix}${core}${pad.repeat(30 - core.length)}`;

/**
 * An accidental identifier: what a source might put in a pseudonym field by mistake. A function
 * value gets the field's own prefix, so it tests the rule past the prefix check (the right
 * prefix, padded to the right length).
 */
export interface AccidentalIdentifier {
  readonly label: string;
  readonly value: string | ((prefix: string) => string);
}

/** Accidental identifiers, each refused in every pseudonym field. */
export const ACCIDENTAL_IDENTIFIERS: readonly AccidentalIdentifier[] = [
  // Email addresses, with and without the @.
  { label: 'an email address', value: 'jane.doe@example.org' },
  { label: 'an email with _at_ for @', value: 'jane_doe_at_example_org' },
  { label: 'an email with (at) for @', value: 'jane.doe(at)example.org' },
  { label: 'an email with -at- and a dot', value: 'jane-doe-at-example.org' },
  { label: "a therapist's email address", value: 'dr.smith@clinic.example' },
  // Phone, national and record numbers.
  { label: 'an NHS number with a prefix', value: 'NHS9434765919' },
  { label: 'an NHS number with spaces', value: '943 476 5919' },
  { label: 'an SSN with a prefix', value: 'SSN-123-45-6789' },
  { label: 'an SSN', value: '123-45-6789' },
  { label: 'a phone number with a prefix', value: 'tel+447700900123' },
  { label: 'a phone number with an underscore prefix', value: 'tel_07700900123' },
  { label: 'a mobile number', value: '07700900123' },
  { label: 'an international phone number with spaces', value: '+44 7700 900123' },
  { label: 'a dashed phone number', value: '555-867-5309' },
  { label: 'a national insurance number', value: 'QQ123456C' },
  { label: 'a record number with a dash', value: 'MRN-004211' },
  { label: 'a record number', value: 'MRN004211' },
  { label: 'an all-digit record number', value: '0012345678' },
  { label: 'a patient number', value: 'patient_004211' },
  { label: 'a case number with a year', value: 'CASE-2024-0042' },
  // Names.
  { label: 'a name with an underscore', value: 'Jane_Doe' },
  { label: 'a name in camel case', value: 'JaneDoe' },
  { label: 'a name with a pseudonym prefix', value: 'c_Jane_Doe' },
  { label: 'a name with a space', value: 'Jane Doe' },
  { label: 'a surname, first name and initial', value: 'doe-jane-m' },
  { label: "a therapist's name with a prefix", value: 't_DrAlexSmith' },
  // Birth dates.
  { label: 'a name and a birth date', value: 'JaneDoe-1984-03-12' },
  { label: 'a birth date as digits', value: '19840312' },
  { label: 'a day-first birth date', value: '12031984' },
  { label: 'an ISO birth date', value: '1984-03-12' },
  { label: 'initials and a birth date', value: 'jdoe_12-03-1984' },
  // Postcodes.
  { label: 'a postcode', value: 'SW1A1AA' },
  { label: 'a postcode with a dash', value: 'SW1A-1AA' },
  { label: 'a postcode with a space', value: 'SW1A 1AA' },
  { label: 'a ZIP+4 code', value: '90210-1234' },
  // Addresses.
  { label: 'a street address', value: '221B_Baker_Street' },
  { label: 'a street address with a town', value: '12_High_St_Oxford' },
  // IP addresses and URLs.
  { label: 'an IP address', value: '192.168.10.24' },
  { label: 'an IP address with underscores', value: '10_0_0_17' },
  { label: 'an IP address with a prefix', value: 'ip-203-0-113-42' },
  { label: 'a URL with underscores', value: 'https_example_org_patient_12' },
  { label: 'a URL', value: 'https://example.org/patient/12' },
  { label: 'a www address', value: 'www_example_org_jane' },
  // The field's own prefix, padded to exactly 30 characters.
  { label: 'a name padded with _', value: (p) => padded(p, 'JaneDoe', '_') },
  { label: 'a record number padded with 0', value: (p) => padded(p, 'MRN4211', '0') },
  { label: 'a birth date padded with -', value: (p) => padded(p, '19840312', '-') },
  {
    label: 'a name, postcode and year padded with _',
    value: (p) => padded(p, 'JaneDoe_SW1A1AA_1984', '_'),
  },
  { label: 'a repeated name', value: (p) => `${p}${'JaneDoe'.repeat(5).slice(0, 30)}` },
  { label: 'digits counted up', value: (p) => `${p}${'0123456789'.repeat(3)}` },
  { label: 'one letter 30 times', value: (p) => `${p}${'A'.repeat(30)}` },
  { label: 'an NHS number padded with 0', value: (p) => padded(p, '9434765919', '0') },
  { label: 'the right prefix and a short name', value: (p) => `${p}Jane_Doe` },
  { label: 'the right prefix and an email', value: (p) => `${p}jane.doe@example.org` },
];

/** Where a pseudonym goes in an event, for the corpus: the field and the path it is named at. */
export interface PseudonymPlace {
  readonly field: PseudonymField;
  readonly path: string;
  readonly where: string;
  readonly place: (value: string) => unknown;
}

/** Every place of a pseudonym in the catalog. */
export const PSEUDONYM_PLACES: readonly PseudonymPlace[] = [
  {
    field: 'clientId',
    path: 'clientId',
    where: 'clientId',
    place: (value) => ({ ...started, clientId: value }),
  },
  {
    field: 'episodeId',
    path: 'episodeId',
    where: 'episodeId',
    place: (value) => ({ ...started, episodeId: value }),
  },
  {
    field: 'therapistId',
    path: 'payload.therapistId',
    where: 'episode.started therapistId',
    place: (value) =>
      variantOf(started, (d) => {
        d.payload.therapistId = value;
      }),
  },
  {
    field: 'therapistId',
    path: 'payload.therapistId',
    where: 'session.attended therapistId',
    place: (value) =>
      variantOf(attended, (d) => {
        d.payload.therapistId = value;
      }),
  },
];

/** One accidental identifier in one pseudonym place. */
export interface PseudonymCase {
  /** "an email address as clientId". */
  readonly label: string;
  readonly field: PseudonymField;
  /** The path the error must name. */
  readonly path: string;
  /** The refused value, which no message may quote. */
  readonly value: string;
  readonly event: unknown;
}

/** Every accidental identifier in every pseudonym place. */
export const PSEUDONYM_CORPUS: readonly PseudonymCase[] = ACCIDENTAL_IDENTIFIERS.flatMap(
  ({ label, value }) =>
    PSEUDONYM_PLACES.map((place) => {
      const text = typeof value === 'string' ? value : value(PSEUDONYM_PREFIXES[place.field]);
      return {
        label: `${label} as ${place.where}`,
        field: place.field,
        path: place.path,
        value: text,
        event: place.place(text),
      };
    }),
);

/** Identifying data outside the pseudonyms: unknown fields, birth dates, times, exact ages. */
export const IDENTIFYING_FIELD_CORPUS: Array<[string, unknown, string]> = [
  ['a name field', { ...started, name: 'Jane Doe' }, 'name'],
  [
    'a notes field in the payload',
    variantOf(started, (d) => {
      d.payload.notes = 'lost her husband in March';
    }),
    'payload.notes',
  ],
  [
    'a birth date',
    variantOf(started, (d) => {
      d.payload.birthDate = '1984-03-12';
    }),
    'payload.birthDate',
  ],
  ['a date of birth at the top level', { ...started, dateOfBirth: '1984-03-12' }, 'dateOfBirth'],
  ['a timestamp with time', { ...started, occurredOn: '2026-03-02T14:30:00Z' }, 'occurredOn'],
  ['a timestamp with a space', { ...started, occurredOn: '2026-03-02 14:30' }, 'occurredOn'],
  [
    'a postcode',
    variantOf(started, (d) => {
      d.payload.postcode = 'SW1A 1AA';
    }),
    'payload.postcode',
  ],
  [
    'an exact age instead of a band',
    variantOf(started, (d) => {
      d.payload.ageBand = '37';
    }),
    'payload.ageBand',
  ],
  [
    'a field named after a person and an address',
    variantOf(started, (d) => {
      d.payload['Jane Doe 12 High St'] = true;
    }),
    'payload.Jane Doe 12 High St',
  ],
];

/**
 * [what it is, the event carrying it, the path that must be named]: every identifying input,
 * the pseudonym corpus (each accidental identifier in each pseudonym place) and the rest.
 */
export const IDENTIFYING_CORPUS: Array<[string, unknown, string]> = [
  ...PSEUDONYM_CORPUS.map((c): [string, unknown, string] => [c.label, c.event, c.path]),
  ...IDENTIFYING_FIELD_CORPUS,
];
