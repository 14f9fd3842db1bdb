import { Suspense } from 'react';
import { Loading } from '../../components/states';
import { AccessLog } from './access-log';

export default function AccessPage() {
  return (
    <>
      <h1>Access log</h1>
      <Suspense fallback={<Loading what="filters" />}>
        <AccessLog />
      </Suspense>
    </>
  );
}
