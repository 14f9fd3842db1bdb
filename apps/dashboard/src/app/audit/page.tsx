import { Suspense } from 'react';
import { FilterBar } from '../../components/filter-bar';
import { Loading } from '../../components/states';
import { Audit } from './audit';

export default function AuditPage() {
  return (
    <>
      <h1>Clinic audit</h1>
      <Suspense fallback={<Loading what="filters" />}>
        <FilterBar />
        <Audit />
      </Suspense>
    </>
  );
}
