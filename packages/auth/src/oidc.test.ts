/**
 * @fileoverview Principals from OpenID Connect claims: the role and clinics come only from the
 * configured claims; a missing or unknown role, a clinic reader without clinics, or a clinic
 * list with something other than clinic codes is refused, never defaulted.
 */
import { describe, expect, it } from 'vitest';
import { ClaimsError, principalFromClaims } from './oidc.js';

const settings = { roleClaim: 'ipt_role', clinicsClaim: 'ipt_clinics', nameClaim: 'email' };

describe('principalFromClaims', () => {
  it('reads the role, clinics and name from the configured claims', () => {
    expect(
      principalFromClaims(
        { sub: 's1', email: 'reader@example.org', ipt_role: 'clinic', ipt_clinics: ['north-01'] },
        settings,
      ),
    ).toEqual({
      name: 'oidc:reader@example.org',
      role: 'clinic',
      clinics: ['north-01'],
      via: 'oidc',
    });
  });

  it('takes a space or comma list of clinics, and falls back to sub for the name', () => {
    expect(
      principalFromClaims(
        { sub: 's2', ipt_role: 'clinic', ipt_clinics: 'north-01, north-02' },
        settings,
      ),
    ).toMatchObject({ name: 'oidc:s2', clinics: ['north-01', 'north-02'] });
  });

  it('gives stewards and researchers the network, whatever clinics the claims carry', () => {
    expect(
      principalFromClaims(
        { sub: 's3', ipt_role: 'researcher', ipt_clinics: ['north-01'] },
        settings,
      ).clinics,
    ).toEqual([]);
  });

  it.each([
    [{ sub: 'x' }],
    [{ sub: 'x', ipt_role: 'admin' }],
    [{ sub: 'x', ipt_role: ['steward'] }],
    [{ sub: 'x', ipt_role: 'clinic' }],
    [{ sub: 'x', ipt_role: 'clinic', ipt_clinics: [] }],
    [{ sub: 'x', ipt_role: 'clinic', ipt_clinics: ['North 01; DROP'] }],
    [{ ipt_role: 'steward' }],
  ])('refuses %j', (claims) => {
    expect(() => principalFromClaims(claims, settings)).toThrow(ClaimsError);
  });
});
