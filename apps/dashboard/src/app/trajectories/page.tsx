import { Suspense } from 'react';
import { FilterBar } from '../../components/filter-bar';
import { Loading } from '../../components/states';
import { Trajectories } from './trajectories';

export default function TrajectoriesPage() {
  return (
    <>
      <h1>Trajectories</h1>
      <Suspense fallback={<Loading what="filters" />}>
        <FilterBar />
        <Trajectories />
      </Suspense>
    </>
  );
}
