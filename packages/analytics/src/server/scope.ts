import { finerThanMonthProblem } from '@ipt/protocol';
import { type Basis, LIVE, type Principal, type Scope } from '../access.js';
import { assertCan, boundClinics, can } from '../capabilities.js';
import type { OutcomeFilters } from '../dimensions.js';
import { AccessDeniedError, QuestionError } from '../errors.js';

/**
 * The one place where a principal and a question become a Scope, and the one place where a
 * Scope becomes SQL. Every analytics query goes through `scopeWhere`, so what a reader may
 * see is decided here and nowhere else. A protected question must name whole months
 * (docs/outcomes.md, "Coarse time"): a finer period is refused here (QuestionError, 400).
 */
export function scopeFor(principal: Principal, filters: OutcomeFilters, basis: Basis): Scope {
  const scope = { ...rowsAndRelease(principal, filters), basis };
  if (scope.disclosure === 'protected') {
    const problem = finerThanMonthProblem({ from: filters.startedFrom, to: filters.startedTo });
    if (problem !== null) throw new QuestionError(problem);
  }
  return scope;
}

function rowsAndRelease(principal: Principal, filters: OutcomeFilters): Omit<Scope, 'basis'> {
  assertCan(principal, 'outcomes:read');
  const network = { kind: 'network' } as const;
  if (!can(principal, 'outcomes:exact'))
    return { principal, rows: network, disclosure: 'protected' };
  const bound = boundClinics(principal);
  if (bound === null) return { principal, rows: network, disclosure: 'exact' };
  // A clinic-bound reader: its own clinics exact; anything wider only as a network aggregate.
  const asked = filters.clinic;
  if (asked === undefined) return { principal, rows: network, disclosure: 'protected' };
  const foreign = asked.filter((clinic) => !bound.includes(clinic));
  if (foreign.length > 0) {
    throw new AccessDeniedError(
      `a clinic reader may filter by its own clinics only (${bound.join(', ')}); the network is shown without a clinic filter`,
    );
  }
  return { principal, rows: { kind: 'clinics', clinics: asked }, disclosure: 'exact' };
}

/**
 * The scope of what is read row by row, never as a network aggregate (episodes one by one, data
 * quality): a reader bound to no clinic reads the network, a clinic-bound reader its own
 * clinics whatever it asked, a reader without the capability nothing (refused here).
 */
export function rowScope(
  principal: Principal,
  capability: 'episodes:list' | 'dataQuality:read',
  basis: Basis = LIVE,
): Scope {
  assertCan(principal, capability);
  const bound = boundClinics(principal);
  return bound === null
    ? { principal, rows: { kind: 'network' }, disclosure: 'exact', basis }
    : { principal, rows: { kind: 'clinics', clinics: bound }, disclosure: 'exact', basis };
}

/**
 * Episodes one by one are read only within a row scope: exact, and by a reader who may list
 * episodes (a cohort scope of a clinic reader could otherwise name the network).
 */
export function assertRowScope(scope: Scope): void {
  assertCan(scope.principal, 'episodes:list');
  const bound = boundClinics(scope.principal);
  const rows = scope.rows;
  if (
    scope.disclosure !== 'exact' ||
    (bound !== null &&
      (rows.kind === 'network' || rows.clinics.some((clinic) => !bound.includes(clinic))))
  ) {
    throw new AccessDeniedError('episodes one by one are read only within the reader’s own rows');
  }
}

/**
 * Clinics whose units (a clinic, its therapists) may be named to this principal: its own for a
 * clinic-bound reader, all for the others (researchers at clinic level only: `audit:therapists`).
 */
export function nameableClinics(scope: Scope): readonly string[] | 'all' {
  return boundClinics(scope.principal) ?? 'all';
}

/** Refuses an audit level the reader may not see (e.g. therapists, to a researcher). */
export function assertAuditLevel(scope: Scope, level: 'clinic' | 'therapist'): void {
  assertCan(scope.principal, level === 'clinic' ? 'audit:clinics' : 'audit:therapists');
}

/**
 * The scope as a SQL condition on a table with a `clinic_id` column, with its parameters.
 * Parameter names start with `scope_` so they never collide with a filter's.
 */
export function scopeWhere(
  scope: Scope,
  column = 'clinic_id',
): { where: string; params: Record<string, unknown> } {
  if (scope.rows.kind === 'network') return { where: '1 = 1', params: {} };
  return {
    where: `${column} IN {scope_clinics:Array(String)}`,
    params: { scope_clinics: [...scope.rows.clinics] },
  };
}
