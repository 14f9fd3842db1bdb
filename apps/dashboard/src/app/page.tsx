import { Suspense } from 'react';
import { FilterBar } from '../components/filter-bar';
import { Loading } from '../components/states';
import { Overview } from './overview';

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <Suspense fallback={<Loading what="filters" />}>
        <FilterBar />
        <Overview />
      </Suspense>
    </>
  );
}
