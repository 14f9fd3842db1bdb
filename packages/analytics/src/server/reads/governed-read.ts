import type { Warehouse } from '@ipt/warehouse';
import { z } from 'zod';
import {
  type Basis,
  BasisFields,
  type BasisStamp,
  LIVE,
  type Principal,
  type Scope,
} from '../../access.js';
import { assertCan } from '../../capabilities.js';
import { withBasisColumns } from '../../csv/basis-columns.js';
import type { OutcomeFilters } from '../../dimensions.js';
import { UnauthenticatedError } from '../../errors.js';
import { type AccessLog, countCells } from '../access-log.js';
import { basisStamp } from '../basis.js';
import type { CohortBudget } from '../budget.js';
import type { DisclosureSettings } from '../disclosure.js';
import { basisOf } from '../frozen-releases.js';
import { assertKnownClinics } from '../known-clinics.js';
import { rowScope, scopeFor } from '../scope.js';
import { hasBasis, type ReadDefinition } from './define-read.js';
import { refusalOf } from './error-table.js';

/** What every read needs from the process that serves it. */
export interface ReadServices {
  warehouse: Warehouse;
  disclosure: Required<DisclosureSettings>;
  budget: CohortBudget;
  /** Every answer and refusal is written here; an answer that cannot be is not released. */
  accessLog: AccessLog;
}

/** One call of a read, as a surface received it. */
export interface ReadCall {
  principal: Principal | null;
  surface: 'rest' | 'csv' | 'trpc';
  /** The name the access log records: `GET /v1/outcomes`, `outcomes.compare`. */
  procedure: string;
  /** What was sent, for the log of a refusal. */
  sent: unknown;
  /** The read's input before its schema; may throw (a REST query it cannot read). */
  input: () => unknown;
}

/** An answer: the read's output, and the basis it is computed from (null for a list of names). */
export interface GovernedAnswer<O> {
  output: O;
  /** The question as the read understood it (its schema's output). */
  input: unknown;
  stamp: BasisStamp | null;
}

const BasisOfInput = z.object(BasisFields);

/**
 * The one pipeline of every read, whichever surface asked: a principal (or 401), the input
 * parsed by the read's schema, the capability (or 403), the basis (asOf, release, live), the
 * Scope, the clinics named known, a protected question charged to the daily budget, the run,
 * and the access log: refusals included, and fail closed (numbers that could not be logged
 * are not released). Refusals are domain errors; `refusalOf` says how each surface answers.
 */
export async function governedRead<S extends z.ZodType, O, J>(
  services: ReadServices,
  read: ReadDefinition<S, O, J>,
  call: ReadCall,
): Promise<GovernedAnswer<O>> {
  const principal = call.principal;
  if (principal === null) {
    throw new UnauthenticatedError('sign in, or send a read key as "Authorization: Bearer <key>"');
  }
  const started = performance.now();
  const log = (status: number, question: unknown, released: unknown) => {
    const cells = countCells(released);
    return services.accessLog.record({
      principal,
      surface: call.surface,
      procedure: call.procedure,
      filters: question,
      cellsReleased: cells.released,
      cellsWithheld: cells.withheld,
      status,
      durationMs: performance.now() - started,
    });
  };
  let input: z.output<S>;
  let output: O;
  let basis: Basis;
  // What a refusal logs: the question as the read understood it once parsed (the same on
  // both surfaces), what was sent while it could not be.
  let question: unknown = call.sent;
  try {
    input = read.input.parse(call.input());
    question = input;
    basis = hasBasis(read) ? await basisOf(services.warehouse, BasisOfInput.parse(input)) : LIVE;
    // The question is judged before the reader's right to it: a period finer than whole
    // months is refused as such (400) whoever asks.
    const scope = scopeOf(read, principal, input, basis);
    assertCan(
      principal,
      typeof read.capability === 'function' ? read.capability(input) : read.capability,
    );
    if (read.scope === 'cohort') await admitCohort(services, scope, input);
    output = await read.run({ ...services, scope }, input);
  } catch (error) {
    // A refusal releases nothing: it keeps its own answer even when the log is away.
    await log(refusalOf(error)?.status ?? 500, question, null).catch(() => undefined);
    throw error;
  }
  await log(200, read.asked?.(input, output) ?? input, output);
  return { output, input, stamp: hasBasis(read) ? basisStamp(basis) : null };
}

function scopeOf<S extends z.ZodType, O, J>(
  read: ReadDefinition<S, O, J>,
  principal: Principal,
  input: z.output<S>,
  basis: Basis,
): Scope {
  switch (read.scope) {
    case 'names':
      return { principal, rows: { kind: 'network' }, disclosure: 'exact', basis };
    case 'rows':
      return rowScope(principal, 'episodes:list', basis);
    case 'cohort':
      return scopeFor(principal, filtersOf(input), basis);
  }
}

const filtersOf = (input: unknown): OutcomeFilters =>
  (input as { filters?: OutcomeFilters }).filters ?? {};

/**
 * A cohort question is admitted: the clinics it names exist, and a protected one is charged to
 * the reader's daily budget (after the check of clinics: a question about a clinic that does
 * not exist costs nothing).
 */
async function admitCohort(services: ReadServices, scope: Scope, input: unknown): Promise<void> {
  const filters = filtersOf(input);
  await assertKnownClinics(services.warehouse, filters.clinic);
  if (scope.disclosure === 'protected') {
    await services.budget.charge(scope.principal, filters, scope.basis);
  }
}

/** An answer's JSON, one object the same on REST and tRPC. */
export type JsonAnswer<J> = J extends readonly unknown[]
  ? J
  : J extends object
    ? J & { basis?: BasisStamp }
    : J;

/** An answer as JSON: an analysis's object carries its basis beside its numbers. */
export function jsonAnswer<S extends z.ZodType, O, J>(
  read: ReadDefinition<S, O, J>,
  answer: GovernedAnswer<O>,
): JsonAnswer<J> {
  const json = (read.json === undefined ? answer.output : read.json(answer.output)) as J;
  const { stamp } = answer;
  if (stamp === null || typeof json !== 'object' || json === null || Array.isArray(json)) {
    return json as JsonAnswer<J>;
  }
  return { ...json, basis: stamp } as JsonAnswer<J>;
}

/**
 * An answer as CSV, or null for a read without one; an analysis's rows each carry its basis
 * (`withBasisColumns`), as the pages' downloads do.
 */
export function csvAnswer<S extends z.ZodType, O, J>(
  read: ReadDefinition<S, O, J>,
  answer: GovernedAnswer<O>,
): string | null {
  if (read.csv === undefined) return null;
  const csv = read.csv(answer.output, answer.input as z.output<S>);
  return answer.stamp === null ? csv : withBasisColumns(csv, answer.stamp);
}
