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
import { useEffect, useState } from 'react';
import { label } from '../lib/labels';
import { firstDayOf, isMonth, lastDayOf, monthOf } from '../lib/months';
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
  const { params, setParam, ignored } = useFilters();
  return (
    <>
      {ignored.length === 0 ? null : (
        <p className="notice" role="status" data-testid="ignored-filters">
          Not applied, from the address:{' '}
          {ignored.map((key) => `${key}=${params.get(key) ?? ''}`).join(', ')} (not a value this
          filter takes
          {ignored.includes('startedTo') ? ', or a period that ends before it starts' : ''}). The
          numbers below are without {ignored.length === 1 ? 'it' : 'them'}.
        </p>
      )}
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
        {/* Whole months only (lib/months.ts): the URL keeps the first and the last day. */}
        <MonthInput
          name="startedFrom"
          text="Started from"
          value={monthOf(params.get('startedFrom'))}
          onMonth={(month) => setParam('startedFrom', month && firstDayOf(month))}
        />
        <MonthInput
          name="startedTo"
          text="Started to"
          value={monthOf(params.get('startedTo'))}
          onMonth={(month) => setParam('startedTo', month && lastDayOf(month))}
        />
      </form>
    </>
  );
}

/**
 * A month picker. Browsers without one show a text box, where "2024-0" is on the way to a
 * month: the draft is kept and only a whole month (or nothing) reaches the URL.
 */
function MonthInput({
  name,
  text,
  value,
  onMonth,
}: {
  name: string;
  text: string;
  /** `YYYY-MM`, or '' for no bound. */
  value: string;
  onMonth: (month: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  // The URL is the truth: a shared link, a loaded cohort or Back replaces the draft.
  useEffect(() => setDraft(value), [value]);
  return (
    <label>
      {text}
      {/* Text, not type="month": a browser shows that in its locale's order ("March 2026",
          03/2026); the product writes ISO 8601 everywhere. */}
      <input
        type="text"
        inputMode="numeric"
        pattern="\d{4}-\d{2}"
        title="year and month, YYYY-MM"
        name={name}
        placeholder="YYYY-MM"
        size={8}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value === '' || isMonth(e.target.value)) onMonth(e.target.value);
        }}
      />
    </label>
  );
}
