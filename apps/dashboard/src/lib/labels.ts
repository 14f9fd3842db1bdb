import {
  FINDING_LABELS,
  OUTCOME_RATE_NAMES,
  RATE_MEASURES,
  type RateMeasureName,
  STATISTICS,
} from '@ipt/protocol';

/** Display names for the vocabulary; values stay as the API sends them. */
const VOCABULARY_LABELS: Record<string, string> = {
  grief: 'Grief',
  role_transition: 'Role transition',
  role_dispute: 'Role dispute',
  interpersonal_deficits: 'Interpersonal deficits',
  unspecified: 'Unspecified',
  ipt_only: 'IPT alone',
  ipt_with_medication: 'IPT + medication',
  problemArea: 'Problem area',
  sessionBucket: 'Sessions attended',
  plannedSessions: 'Planned sessions',
  medication: 'Medication',
  baselineSeverity: 'Baseline severity',
  ageBand: 'Age band',
  condition: 'Condition',
  sex: 'Sex',
  modality: 'Modality',
  adaptation: 'Adaptation',
};

/** Measures and statistics are labelled by the registry in @ipt/protocol, never here. */
const LABELS: Record<string, string> = {
  ...VOCABULARY_LABELS,
  ...Object.fromEntries(Object.entries(RATE_MEASURES).map(([name, m]) => [name, m.label])),
  ...Object.fromEntries(Object.entries(STATISTICS).map(([name, s]) => [name, s.label])),
  ...FINDING_LABELS,
};

/** Words that are written in capitals wherever they appear. */
const ACRONYMS: Record<string, string> = {
  ptsd: 'PTSD',
  ipsrt: 'IPSRT',
  ipt: 'IPT',
  phq9: 'PHQ-9',
};

/**
 * The display name of a value: the registry's label when it has one (measures, statistics,
 * findings, the vocabulary above), else the value in sentence case with its acronyms, so that
 * `major_depression` reads "Major depression" and `ptsd` "PTSD" on every page alike.
 */
export function label(value: string): string {
  const known = LABELS[value];
  if (known !== undefined) return known;
  const words = value.split('_').map((word) => ACRONYMS[word] ?? word);
  const text = words.join(' ');
  return /^[a-z]/.test(text) ? `${text[0]?.toUpperCase()}${text.slice(1)}` : text;
}

/** The outcome rates the pages compare, in the registry's order. */
export const RATES = OUTCOME_RATE_NAMES;
export type RateName = RateMeasureName;

/**
 * A filter's value as a page shows it: a clinic code verbatim ("ashdown-01" is a name, not a
 * word to put in sentence case), any other value by `label`.
 */
export const filterValueLabel = (filter: string, value: string): string =>
  filter === 'clinic' ? value : label(value);
