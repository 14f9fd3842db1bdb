/** Display names for the vocabulary; values stay as the API sends them. */
const LABELS: Record<string, string> = {
  grief: 'Grief',
  role_transition: 'Role transition',
  role_dispute: 'Role dispute',
  interpersonal_deficits: 'Interpersonal deficits',
  unspecified: 'Unspecified',
  ipt_only: 'IPT alone',
  ipt_with_medication: 'IPT + medication',
  problemArea: 'Problem area',
  sessionBucket: 'Sessions attended',
  medication: 'Medication',
  reliableImprovement: 'Reliable improvement',
  reliableDeterioration: 'Reliable deterioration',
  recovery: 'Recovery',
  reliableRecovery: 'Reliable recovery',
  response: 'Response',
  remission: 'Remission',
};

export function label(value: string): string {
  return LABELS[value] ?? value.replace(/_/g, ' ');
}

export const RATES = [
  'reliableImprovement',
  'recovery',
  'reliableRecovery',
  'response',
  'remission',
  'reliableDeterioration',
] as const;
export type RateName = (typeof RATES)[number];
