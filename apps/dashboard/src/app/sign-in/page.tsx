import type { Metadata } from 'next';
import { ProviderSignIn } from './provider-sign-in';

export const metadata: Metadata = { title: 'Sign in · IPT Outcomes' };

const MESSAGES: Record<string, string> = {
  key: 'That key was not accepted. Check it and try again.',
  origin: 'The sign-in form must be sent from this site. Reload the page and try again.',
  oidc: 'Sign-in with the identity provider did not complete. Try again.',
  'oidc-expired': 'The sign-in took too long or was already used. Try again.',
  'oidc-claims':
    'Your account has no role for IPT Outcomes (or no clinic for a clinic reader). Ask the data steward to grant one.',
};

/**
 * Sign-in with a read key: a plain form posted to /auth/sign-in, which opens a server-side
 * session and returns to the page that sent the browser here. Works without JavaScript.
 */
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const one = (name: string) => {
    const value = params[name];
    return typeof value === 'string' ? value : undefined;
  };
  const error = MESSAGES[one('error') ?? ''];
  const next = one('next') ?? '/';
  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <p>
        Outcomes are released to named readers. Sign in with the read key you were given (the demo
        prints a steward key at start).
      </p>
      {one('signedOut') === '1' ? <p role="status">You are signed out.</p> : null}
      {error ? (
        <p role="alert" className="state error">
          {error}
        </p>
      ) : null}
      <ProviderSignIn next={next} />
      <form method="post" action="/auth/sign-in">
        <input type="hidden" name="next" value={next} />
        <label>
          Read key{' '}
          <input
            type="password"
            name="key"
            autoComplete="current-password"
            required
            maxLength={200}
            size={50}
          />
        </label>{' '}
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
