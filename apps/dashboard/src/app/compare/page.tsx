import { Suspense } from 'react';
import { FilterBar } from '../../components/filter-bar';
import { Loading } from '../../components/states';
import { Compare } from './compare';

export default function ComparePage() {
  return (
    <>
      <h1>Compare outcomes</h1>
      <Suspense fallback={<Loading what="filters" />}>
        <FilterBar />
        <Compare />
      </Suspense>
    </>
  );
}
