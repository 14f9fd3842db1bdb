import { finerThanMonthProblem } from '@ipt/protocol';
import { type Basis, capabilitiesOf, LIVE, type Principal, type Scope } from '../access.js';
import type { OutcomeFilters } from '../dimensions.js';
import { AccessDeniedError, QuestionError } from './errors.js';

/**
 * The one place where a principal and a question become a Scope, and the one place where a
 * Scope becomes SQL. Every analytics query goes through `scopeWhere`, so what a reader may
 * see is decided here and nowhere else. A protected question must name whole months
 * (docs/outcomes.md, "Coarse time"): a finer period is refused here (QuestionError, 400).
 */
export function scopeFor(principal: Principal, filters: OutcomeFilters, basis: Basis): Scope {
  const scope = { ...rowsAndRelease(principal, filters), basis };
  if (scope.release === 'protected') {
    const problem = finerThanMonthProblem({ from: filters.startedFrom, to: filters.startedTo });
    if (problem !== null) throw new QuestionError(problem);
  }
  return scope;
}

function rowsAndRelease(principal: Principal, filters: OutcomeFilters): Omit<Scope, 'basis'> {
  if (principal.role === 'steward')
    return { principal, rows: { kind: 'network' }, release: 'exact' };
  if (principal.role === 'researcher') {
    return { principal, rows: { kind: 'network' }, release: 'protected' };
  }
  // A clinic reader: its own clinics exact; anything wider only as a network aggregate.
  const asked = filters.clinic;
  if (asked === undefined) return { principal, rows: { kind: 'network' }, release: 'protected' };
  const foreign = asked.filter((clinic) => !principal.clinics.includes(clinic));
  if (foreign.length > 0) {
    throw new AccessDeniedError(
      `a clinic reader may filter by its own clinics only (${principal.clinics.join(', ')}); the network is shown without a clinic filter`,
    );
  }
  return { principal, rows: { kind: 'clinics', clinics: asked }, release: 'exact' };
}

/**
 * The scope of operational views (data quality): the steward sees the network, a clinic
 * reader its own clinics whatever it asked, a researcher nothing.
 */
export function operationalScope(principal: Principal): Scope {
  const basis = LIVE;
  const access = capabilitiesOf(principal).dataQuality;
  if (access === 'none') {
    throw new AccessDeniedError(
      'data quality (rejections, dead letters, findings) is for stewards and clinic readers',
    );
  }
  return access === 'network'
    ? { principal, rows: { kind: 'network' }, release: 'exact', basis }
    : { principal, rows: { kind: 'clinics', clinics: principal.clinics }, release: 'exact', basis };
}

/**
 * Clinics whose units (a clinic, its therapists) may be named to this principal: all for the
 * steward and researchers (clinic level only, see ROLE_CAPABILITIES), its own for a clinic.
 */
export function nameableClinics(scope: Scope): readonly string[] | 'all' {
  return scope.principal.role === 'clinic' ? scope.principal.clinics : 'all';
}

/** Refuses an audit level the role may not see (e.g. therapists, to a researcher). */
export function assertAuditLevel(scope: Scope, level: 'clinic' | 'therapist'): void {
  if (!capabilitiesOf(scope.principal).auditLevels.includes(level)) {
    throw new AccessDeniedError(
      `the ${level} audit is not available to the ${scope.principal.role} role`,
    );
  }
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
