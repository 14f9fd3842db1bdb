/**
 * @fileoverview Start-up configuration of governance: the dashboard's host allow-list (required
 * when listening on every interface) and OpenID Connect settings (all or nothing, a callback
 * on the route that completes sign-in, the openid scope), each refused with a message naming
 * the variable.
 */
import { describe, expect, it } from 'vitest';
import { allowedHosts, ConfigError, loadEnv, oidcSettings } from './env.js';

describe('ALLOWED_HOSTS', () => {
  it('defaults to the loopback names and HOST', () => {
    expect(allowedHosts(loadEnv({ HOST: 'ipt.internal' }))).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      'ipt.internal',
    ]);
  });

  it('is required when HOST listens on every interface', () => {
    expect(() => allowedHosts(loadEnv({ HOST: '0.0.0.0' }))).toThrow(/set ALLOWED_HOSTS/);
    expect(allowedHosts(loadEnv({ HOST: '0.0.0.0', ALLOWED_HOSTS: 'IPT.example.org' }))).toEqual([
      'ipt.example.org',
    ]);
  });

  it('refuses a name with a port or a path', () => {
    expect(() => loadEnv({ ALLOWED_HOSTS: 'ipt.example.org:443' })).toThrow(/ALLOWED_HOSTS/);
    expect(() => loadEnv({ ALLOWED_HOSTS: 'https://ipt.example.org' })).toThrow(/ALLOWED_HOSTS/);
  });
});

describe('OpenID Connect settings', () => {
  const full = {
    OIDC_ISSUER: 'https://idp.example.org/realms/ipt',
    OIDC_CLIENT_ID: 'ipt-dashboard',
    OIDC_REDIRECT_URL: 'https://ipt.example.org/auth/oidc/callback',
  };

  it('are off without an issuer, and complete with one', () => {
    expect(oidcSettings(loadEnv({}))).toBeUndefined();
    expect(oidcSettings(loadEnv(full))).toMatchObject({
      clientId: 'ipt-dashboard',
      roleClaim: 'ipt_role',
      clinicsClaim: 'ipt_clinics',
      scopes: 'openid profile',
    });
  });

  it('refuse half a configuration', () => {
    expect(() => oidcSettings(loadEnv({ OIDC_CLIENT_ID: 'x' }))).toThrow(ConfigError);
    expect(() => oidcSettings(loadEnv({ OIDC_ISSUER: full.OIDC_ISSUER }))).toThrow(
      /needs OIDC_CLIENT_ID and OIDC_REDIRECT_URL/,
    );
  });

  it('refuse a callback elsewhere and scopes without openid', () => {
    expect(() =>
      loadEnv({ ...full, OIDC_REDIRECT_URL: 'https://ipt.example.org/callback' }),
    ).toThrow(/must end in \/auth\/oidc\/callback/);
    expect(() => oidcSettings(loadEnv({ ...full, OIDC_SCOPES: 'profile email' }))).toThrow(
      /must include openid/,
    );
  });
});
