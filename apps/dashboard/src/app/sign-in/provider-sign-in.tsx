'use client';

import { useEffect, useState } from 'react';

/**
 * "Sign in with <provider>", when the deployment configured OpenID Connect. Asks the server
 * which methods it offers (the page itself is the same build everywhere).
 */
export function ProviderSignIn({ next }: { next: string }) {
  const [provider, setProvider] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/auth/methods')
      .then((response) => (response.ok ? response.json() : null))
      .then((methods: { oidc: { name: string } | null } | null) => {
        if (live) setProvider(methods?.oidc?.name ?? null);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (provider === null) return null;
  return (
    <p>
      <a className="button" href={`/auth/oidc/login?next=${encodeURIComponent(next)}`}>
        Sign in with {provider}
      </a>{' '}
      or with a read key:
    </p>
  );
}
