'use client';

import { can } from '@ipt/analytics';
import { useQuery } from '@tanstack/react-query';
import { Failed, Loading } from '../../components/states';
import { TableRegion } from '../../components/table-region';
import { count } from '../../lib/format';
import { useMe } from '../../lib/use-me';
import { useTRPC } from '../../trpc/client';

/**
 * Each protected reader's use today of the daily budget of distinct cohorts (docs/outcomes.md,
 * "Disclosure control", "Budget"), for the steward: who is near the limit, and when they last
 * asked about a new cohort. Other roles never ask (the server refuses them anyway).
 */
export function Budgets() {
  const me = useMe();
  if (me.data === undefined || me.data === null || !can(me.data, 'accessLog:read')) return null;
  return <BudgetsTable />;
}

function BudgetsTable() {
  const trpc = useTRPC();
  // Today on the server's UTC clock; refreshed with the page, like the log below it.
  const query = useQuery(trpc.access.budgets.queryOptions({}));
  if (query.isPending) return <Loading what="cohort budgets" />;
  if (query.isError) return <Failed message={query.error.message} />;
  const { day, perDay, readers } = query.data;
  return (
    <>
      <h2>Cohort budgets today ({day}, UTC)</h2>
      <TableRegion label="Cohort budgets today">
        <table aria-label="Cohort budgets today">
          <thead>
            <tr>
              <th>Reader</th>
              <th>Distinct cohorts used</th>
              <th>Of</th>
              <th>Latest new cohort (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {readers.length === 0 ? (
              <tr>
                <td colSpan={4}>No reader of protected numbers has asked about a cohort today.</td>
              </tr>
            ) : (
              readers.map((r) => (
                <tr key={r.principal}>
                  <td>{r.principal}</td>
                  <td>{count(r.used)}</td>
                  <td>{count(perDay)}</td>
                  <td>{r.latest}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
