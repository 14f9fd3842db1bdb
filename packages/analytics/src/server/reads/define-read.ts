import type { Warehouse } from '@ipt/warehouse';
import type { z } from 'zod';
import type { Scope } from '../../access.js';
import type { Capability } from '../../capabilities.js';
import type { CohortBudget } from '../budget.js';
import type { DisclosureSettings } from '../disclosure.js';

/**
 * How a read's Scope is made from the principal and the question:
 * - `cohort`: the question's filters decide rows and exactness (scopeFor); clinics it names
 *   must exist; a protected question is charged to the reader's daily budget;
 * - `rows`: rows read one by one (episodes), the reader's own rows exactly (rowScope);
 * - `names`: names and moments, never numbers of episodes (the list of releases): the same for
 *   every reader who may ask.
 */
export type ScopeKind = 'cohort' | 'rows' | 'names';

/** What a read runs with: the Scope decided for it, and the service's settings. */
export interface ReadRun {
  warehouse: Warehouse;
  scope: Scope;
  disclosure: Required<DisclosureSettings>;
  /** The daily budget of protected readers (the budgets view reports its size). */
  budget: CohortBudget;
}

/** The query string of a REST read, as the HTTP layer reads it for the definition. */
export interface QueryReader {
  /** A parameter given once, or undefined. */
  single: (name: string) => string | undefined;
  /** A comma list, or undefined. */
  list: (name: string) => string[] | undefined;
  /** The cohort filters, gathered for the input schema. */
  filters: Record<string, unknown>;
}

/** The REST form of a read: `GET <path>`, its own query parameters, and how they make its input. */
export interface RestForm {
  path: string;
  /** Parameters besides the cohort filters (and asOf/release, which every analysis takes). */
  params: readonly string[];
  /** What the parameters are, for the refusal of an unknown one. */
  usage: string;
  /** False for a read that takes no cohort filters. */
  cohortFilters: boolean;
  /** The read's input (before its schema) from the query; throws QuestionError to refuse. */
  input: (query: QueryReader) => Record<string, unknown>;
}

/**
 * One read, declared once: its input schema, the capability it needs, how its Scope is made,
 * what it runs, and its CSV. `governedRead` does everything reads share; the tRPC procedure,
 * the REST route and the OpenAPI path are generated from this.
 */
export interface ReadDefinition<S extends z.ZodType = z.ZodType, O = unknown, J = O> {
  /** The tRPC procedure's path, e.g. `outcomes.compare`. */
  name: string;
  input: S;
  /** The capability asked; a function where the question decides it (the audit's level). */
  capability: Capability | ((input: z.output<S>) => Capability);
  scope: ScopeKind;
  /**
   * True (the default) for an analysis: it takes `asOf`/`release` and its answer carries the
   * basis it is computed from; false for a read that is not one (the list of releases).
   */
  basis?: boolean;
  run: (ctx: ReadRun, input: z.output<S>) => Promise<O>;
  /** The question as the access log records it (defaults filled in); the parsed input if absent. */
  asked?: (input: z.output<S>, output: O) => unknown;
  /** The answer as JSON, the same on REST and tRPC; the output itself if absent. */
  json?: (output: O) => J;
  /**
   * The CSV of the answer (without its basis columns), from the client-safe codec
   * (`@ipt/analytics`, csv/): the REST `Accept: text/csv` and the pages' downloads alike.
   */
  csv?: (output: O, input: z.output<S>) => string;
  rest?: RestForm;
}

/** Declares a read; the identity, typed, so each definition's input and output are inferred. */
export const defineRead = <S extends z.ZodType, O, J = O>(
  definition: ReadDefinition<S, O, J>,
): ReadDefinition<S, O, J> => definition;

/** Any read, whatever its types (for lists of reads). */
// biome-ignore lint/suspicious/noExplicitAny: a list of reads holds reads of every input and output
export type AnyRead = ReadDefinition<z.ZodType, any, any>;

/** The input type a caller sends (before defaults). */
// biome-ignore lint/suspicious/noExplicitAny: matched against any output
export type ReadInput<D> = D extends ReadDefinition<infer S, any, any> ? z.input<S> : never;
/** The answer's JSON, before the basis is stamped on it. */
// biome-ignore lint/suspicious/noExplicitAny: matched against any input
export type ReadJson<D> = D extends ReadDefinition<any, any, infer J> ? J : never;

/** Whether a read is an analysis with a basis. */
export const hasBasis = (read: AnyRead): boolean => read.basis !== false;
