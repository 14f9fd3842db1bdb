// Labels: one display name per value, from the registry where it has one, else sentence case
// with acronyms, so no page shows a raw code.
import { CONDITIONS, FINDING_CODES, FINDING_LABELS, RATE_MEASURES } from '@ipt/protocol';
import { describe, expect, it } from 'vitest';
import { filterValueLabel, label } from './labels';

describe('label', () => {
  it('names conditions, adaptations and modalities in sentence case with their acronyms', () => {
    expect(label('major_depression')).toBe('Major depression');
    expect(label('ptsd')).toBe('PTSD');
    expect(label('ipsrt')).toBe('IPSRT');
    expect(label('in_person')).toBe('In person');
    expect(label('12-17')).toBe('12-17');
    for (const condition of CONDITIONS) expect(label(condition)).toMatch(/^[A-Z0-9]/);
  });

  it('names every finding and measure by the registry, never by its code', () => {
    for (const code of FINDING_CODES) {
      expect(label(code)).toBe(FINDING_LABELS[code]);
      expect(label(code)).not.toContain('_');
    }
    expect(label('phq9_missing_at_attended_session')).toBe('PHQ-9 missing at an attended session');
    expect(label('reliableImprovement')).toBe(RATE_MEASURES.reliableImprovement.label);
  });
});

describe('filterValueLabel', () => {
  it('shows a clinic code as it is, and other values by their label', () => {
    expect(filterValueLabel('clinic', 'ashdown-01')).toBe('ashdown-01');
    expect(filterValueLabel('condition', 'ptsd')).toBe('PTSD');
    expect(filterValueLabel('ageBand', '18-24')).toBe('18-24');
  });
});
