import { Suspense } from 'react';
import { FilterBar } from '../../components/filter-bar';
import { Loading } from '../../components/states';
import { DataQuality } from './data-quality';

export default function DataQualityPage() {
  return (
    <>
      <h1>Data quality</h1>
      <Suspense fallback={<Loading what="filters" />}>
        <FilterBar />
        <DataQuality />
      </Suspense>
    </>
  );
}
