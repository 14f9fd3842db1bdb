import { Suspense } from 'react';
import { Loading } from '../../components/states';
import { AccessLog } from './access-log';
import { Budgets } from './budgets';

export default function AccessPage() {
  return (
    <>
      <h1>Access log</h1>
      <Budgets />
      <h2>Reads</h2>
      <Suspense fallback={<Loading what="filters" />}>
        <AccessLog />
      </Suspense>
    </>
  );
}
