import { Suspense } from 'react';
import { Loading } from '../../components/states';
import { Releases } from './releases';

export default function ReleasesPage() {
  return (
    <>
      <h1>Releases</h1>
      <p className="note">
        A release freezes the numbers as of a moment under a name, so a report or a paper can cite
        them: every page can show a release (the picker above), and{' '}
        <code>release=&lt;name&gt;</code> asks any question of the read API of it. Its numbers stay
        the same when late events and corrections arrive, and when the definitions change. The
        content hash lets anyone check that its rows are what was released (
        <code>ipt release verify</code>).
      </p>
      <Suspense fallback={<Loading what="releases" />}>
        <Releases />
      </Suspense>
    </>
  );
}
