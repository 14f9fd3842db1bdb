'use client';

import {
  ADAPTATIONS,
  AGE_BANDS,
  CONDITIONS,
  MEDICATION_GROUPS,
  MODALITIES,
  PRIMARY_PROBLEM_AREAS,
  SEVERITY_BANDS,
  SEXES,
} from '@ipt/protocol';
import { label } from '../lib/labels';
import { useFilters } from '../lib/use-filters';

const SELECTS: Array<{ key: string; name: string; values: readonly string[] }> = [
  { key: 'condition', name: 'Condition', values: CONDITIONS },
  { key: 'adaptation', name: 'Adaptation', values: ADAPTATIONS },
  { key: 'ageBand', name: 'Age band', values: AGE_BANDS },
  { key: 'sex', name: 'Sex', values: SEXES },
  { key: 'modality', name: 'Modality', values: MODALITIES },
  { key: 'baselineSeverity', name: 'Baseline severity', values: SEVERITY_BANDS },
  { key: 'problemArea', name: 'Problem area', values: PRIMARY_PROBLEM_AREAS },
  { key: 'medication', name: 'Medication', values: MEDICATION_GROUPS },
];

/** The cohort filters of every page; each change rewrites the URL (and so the view). */
export function FilterBar() {
  const { params, setParam } = useFilters();
  return (
    <form className="filters" aria-label="Cohort filters" onSubmit={(e) => e.preventDefault()}>
      {SELECTS.map(({ key, name, values }) => (
        <label key={key}>
          {name}
          <select
            name={key}
            value={params.get(key) ?? ''}
            onChange={(e) => setParam(key, e.target.value)}
          >
            <option value="">All</option>
            {values.map((value) => (
              <option key={value} value={value}>
                {label(value)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        Clinic
        <input
          name="clinic"
          placeholder="code, e.g. ashdown-01"
          defaultValue={params.get('clinic') ?? ''}
          onBlur={(e) => setParam('clinic', e.target.value.trim())}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setParam('clinic', e.currentTarget.value.trim());
          }}
        />
      </label>
      <label>
        Started from
        <input
          type="date"
          name="startedFrom"
          value={params.get('startedFrom') ?? ''}
          onChange={(e) => setParam('startedFrom', e.target.value)}
        />
      </label>
      <label>
        to
        <input
          type="date"
          name="startedTo"
          value={params.get('startedTo') ?? ''}
          onChange={(e) => setParam('startedTo', e.target.value)}
        />
      </label>
    </form>
  );
}
