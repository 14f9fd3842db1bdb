/**
 * Inputs that would let a record be traced to a person. Every one must be rejected by
 * validateEvent and, in the ingest, leave nothing stored. Synthetic values only.
 */
import { SAMPLES, variantOf } from './samples.js';

const started = SAMPLES['episode.started'];

/** [what it is, the event carrying it, the path that must be named]. */
export const IDENTIFYING_CORPUS: Array<[string, unknown, string]> = [
  ['an email as clientId', { ...started, clientId: 'jane.doe@example.org' }, 'clientId'],
  [
    'an email as therapistId',
    variantOf(started, (d) => {
      d.payload.therapistId = 'dr.smith@clinic.example';
    }),
    'payload.therapistId',
  ],
  ['a phone number as clientId', { ...started, clientId: '+44 7700 900123' }, 'clientId'],
  ['a digits-only phone number as clientId', { ...started, clientId: '07700900123' }, 'clientId'],
  ['a dashed phone number as episodeId', { ...started, episodeId: '555-867-5309' }, 'episodeId'],
  ['an SSN as clientId', { ...started, clientId: '123-45-6789' }, 'clientId'],
  ['an all-digit record number as clientId', { ...started, clientId: '0012345678' }, 'clientId'],
  ['an NHS number with spaces as clientId', { ...started, clientId: '943 476 5919' }, 'clientId'],
  ['a full name as clientId', { ...started, clientId: 'Jane Doe' }, 'clientId'],
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
];
