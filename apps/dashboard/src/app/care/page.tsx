import { Suspense } from 'react';
import { Loading } from '../../components/states';
import { Care } from './care';

export default function CarePage() {
  return (
    <>
      <h1>Signals for care</h1>
      <Suspense fallback={<Loading what="signals for care" />}>
        <Care />
      </Suspense>
    </>
  );
}
