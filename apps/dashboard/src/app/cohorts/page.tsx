import { Suspense } from 'react';
import { FilterBar } from '../../components/filter-bar';
import { Loading } from '../../components/states';
import { Cohorts } from './cohorts';

export default function CohortsPage() {
  return (
    <>
      <h1>Cohorts</h1>
      <p>
        Build a cohort with the filters, save it under a name, and put two cohorts side by side.
      </p>
      <Suspense fallback={<Loading what="filters" />}>
        <FilterBar />
        <Cohorts />
      </Suspense>
    </>
  );
}
