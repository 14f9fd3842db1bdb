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
import { isMonth, monthOf } from '../lib/months';
import { useFilters } from '../lib/use-filters';
import { AddressNotice } from './address-notice';

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
  const { params, filters, setParam, unused } = useFilters();
  // A change typed into the fields that cannot be applied: said here, not as "from the address".
  const [refused, setRefused] = useState<string | null>(null);
  const from = filters.startedFrom === undefined ? '' : monthOf(filters.startedFrom);
  const to = filters.startedTo === undefined ? '' : monthOf(filters.startedTo);
  const setMonth = (key: 'startedFrom' | 'startedTo', month: string) => {
    const reversed =
      month !== '' &&
      (key === 'startedFrom' ? to !== '' && month > to : from !== '' && month < from);
    if (reversed) {
      setRefused(
        key === 'startedFrom'
          ? `Not applied: a period starting ${month} would end before it starts (started to ${to}). The period stays from ${from || 'the first episode'} to ${to}.`
          : `Not applied: a period ending ${month} would end before it starts (started from ${from}). The period stays from ${from} to ${to || 'now'}.`,
      );
      return false;
    }
    setRefused(null);
    setParam(key, month);
    return true;
  };
  return (
    <>
      <AddressNotice
        unused={unused}
        instead={`The numbers below are without ${unused.length === 1 ? 'it' : 'them'}.`}
        testId="ignored-filters"
      />
      {refused === null ? null : (
        <p className="notice" role="status" data-testid="refused-filter">
          {refused}
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
        {/* Whole months (lib/months.ts): the URL keeps them as YYYY-MM; the fields show what
            is applied. */}
        <MonthInput
          name="startedFrom"
          text="Started from"
          value={from}
          onMonth={(month) => setMonth('startedFrom', month)}
        />
        <MonthInput
          name="startedTo"
          text="Started to"
          value={to}
          onMonth={(month) => setMonth('startedTo', month)}
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
  /** `YYYY-MM`, or '' for no bound: the month applied. */
  value: string;
  /** Applies a month (or '' for none); false when it cannot be, and the field goes back. */
  onMonth: (month: string) => boolean;
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
          if (e.target.value === '' || isMonth(e.target.value)) {
            // Refused (a reversed period): the field shows what is applied again.
            if (!onMonth(e.target.value)) setDraft(value);
          }
        }}
      />
    </label>
  );
}
