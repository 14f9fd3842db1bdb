import { episodeScope, offTrackCsv, offTrackEpisodes } from '@ipt/analytics/server';
import { clinicCode } from '@ipt/events';
import type { Warehouse } from '@ipt/warehouse';
import type { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { invalidQuery, readQuery } from './read-query.js';
import { readRoute } from './read-route.js';

const OffTrackQuery = z.strictObject({ clinic: z.array(clinicCode).min(1).optional() });

/**
 * `GET /v1/off-track[?clinic=<codes>]`: the open episodes off track now (docs/outcomes.md, "Expected
 * recovery and off-track episodes") of the clinics the reader sees one by one: a clinic
 * reader's own, every clinic for the steward; researchers are refused. Pseudonyms only: the
 * source re-identifies them with its own secret (`reidentify` in @ipt-outcomes/source).
 */
export function offTrackRouter(ctx: AppContext, warehouse: Warehouse): Router {
  return readRoute(ctx, warehouse, {
    path: '/v1/off-track',
    parse: (query) => {
      // Cohort filters do not narrow a list of episodes; only the clinic does.
      const { list } = readQuery(query, ['clinic'], 'use clinic (a comma list of clinic codes)', {
        cohortFilters: false,
      });
      const clinic = list('clinic');
      const parsed = OffTrackQuery.safeParse(clinic === undefined ? {} : { clinic });
      if (!parsed.success) throw invalidQuery(parsed.error.issues);
      return { ...parsed.data, filters: {} };
    },
    scope: (principal, _question, basis) => episodeScope(principal, basis),
    answer: async (scope, question) => {
      const result = await offTrackEpisodes(
        warehouse,
        scope.principal,
        question,
        scope.basis,
        ctx.release,
      );
      return {
        released: result,
        asked: question.clinic === undefined ? {} : { clinic: question.clinic },
        json: () => result,
        csv: () => offTrackCsv(result),
      };
    },
  });
}
