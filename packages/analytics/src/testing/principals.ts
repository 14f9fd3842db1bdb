import { LIVE, type Principal, type Scope } from '../access.js';

/** Principals for tests: one of each role (synthetic names, no real people). */
export const testPrincipals = {
  steward: { name: 'test-steward', role: 'steward', clinics: [], via: 'key' },
  researcher: { name: 'test-researcher', role: 'researcher', clinics: [], via: 'key' },
  clinic: (clinics: readonly string[]): Principal => ({
    name: `test-clinic-${clinics.join('-')}`,
    role: 'clinic',
    clinics: [...clinics],
    via: 'key',
  }),
} as const satisfies Record<string, Principal | ((c: readonly string[]) => Principal)>;

/** The steward's scope: the whole network, exact. */
export const stewardScope: Scope = {
  principal: testPrincipals.steward,
  rows: { kind: 'network' },
  disclosure: 'exact',
  basis: LIVE,
};
