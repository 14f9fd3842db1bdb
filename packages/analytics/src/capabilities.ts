import type { Principal } from './access.js';
import { AccessDeniedError } from './errors.js';

/**
 * Permissions as capabilities (README, "Access and governance"): one list of what may be done,
 * one table of which role may do it, and one `can`/`assertCan`. The analytics service, both API
 * surfaces and the dashboard's navigation ask `can`; nothing else compares a role's name (a
 * test greps for it). Client-safe: no I/O here, so the pages read the same table the server
 * enforces and the two never disagree.
 */
export const CAPABILITIES = {
  'outcomes:read': 'cohort aggregates (outcome rates, trajectories, time to improvement)',
  'outcomes:exact':
    'exact numbers (of the network, or of its own clinics for a clinic-bound reader)',
  'audit:clinics': 'the audit of clinics',
  'audit:therapists': 'the audit of therapists',
  'episodes:list': 'episodes one by one, by pseudonym (off track, scores, findings)',
  'dataQuality:read': 'data quality (rejections, dead letters, findings)',
  'accessLog:read': "the access log and the readers' budgets",
  'releases:read': 'the list of frozen releases',
  'releases:manage': 'making, deleting and verifying frozen releases',
  'cohorts:save': 'saving and deleting its own named cohorts',
  'cohorts:manageAll': "deleting another reader's cohort",
} as const;
export type Capability = keyof typeof CAPABILITIES;
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[];

/** The roles of readers, in the order the README lists them. */
export const READ_ROLES = ['steward', 'clinic', 'researcher'] as const;
export type ReadRole = (typeof READ_ROLES)[number];

export interface RoleDefinition {
  /** How the pages name the role, and a group of its readers (in refusals). */
  label: string;
  plural: string;
  /** One-line description for the README, the sign-in page and errors. */
  summary: string;
  /**
   * Bound to clinics: a reader of this role names its clinics (a key's `clinics`, an OIDC
   * claim), reads them one by one and exactly, and may filter by no other clinic.
   */
  clinicBound: boolean;
  capabilities: readonly Capability[];
}

export const ROLES: Record<ReadRole, RoleDefinition> = {
  steward: {
    label: 'data steward',
    plural: 'stewards',
    summary: "the network's data controller: everything, exact, and the access log",
    clinicBound: false,
    capabilities: CAPABILITY_NAMES,
  },
  clinic: {
    label: 'clinic reader',
    plural: 'clinic readers',
    summary: 'its own clinics exact; the network only as protected aggregates',
    clinicBound: true,
    capabilities: [
      'outcomes:read',
      'outcomes:exact',
      'audit:clinics',
      'audit:therapists',
      'episodes:list',
      'dataQuality:read',
      'releases:read',
      'cohorts:save',
    ],
  },
  researcher: {
    label: 'researcher',
    plural: 'researchers',
    summary: 'network aggregates only; no per-therapist audit, no operational data',
    clinicBound: false,
    capabilities: ['outcomes:read', 'audit:clinics', 'releases:read', 'cohorts:save'],
  },
};

/** Whom a check is about: a principal, or anything carrying its role (the dashboard's `me`). */
type Holder = Pick<Principal, 'role'>;

export const can = (holder: Holder, capability: Capability): boolean =>
  ROLES[holder.role].capabilities.includes(capability);

/** Refusals said better than "<capability> is for <roles>": whose rows they are. */
const REFUSALS: Partial<Record<Capability, string>> = {
  'episodes:list':
    "episodes one by one are for the episode's own clinic and the network data steward",
};

/** Refused (403): names what the holder may not do, never the data asked of. */
export function assertCan(holder: Holder, capability: Capability): void {
  if (!can(holder, capability)) {
    throw new AccessDeniedError(
      REFUSALS[capability] ?? `${CAPABILITIES[capability]} ${capabilityOwners(capability)}`,
    );
  }
}

/** "is for stewards and clinic readers": who holds a capability, in words. */
function capabilityOwners(capability: Capability): string {
  const owners = READ_ROLES.filter((role) => ROLES[role].capabilities.includes(capability)).map(
    (role) => ROLES[role].plural,
  );
  return `is for ${owners.length === 0 ? 'nobody' : owners.join(' and ')}`;
}

/** The clinics a clinic-bound reader is bound to; null for a reader bound to none. */
export const boundClinics = (principal: Principal): readonly string[] | null =>
  ROLES[principal.role].clinicBound ? principal.clinics : null;
