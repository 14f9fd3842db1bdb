import type { Warehouse } from '@ipt/warehouse';
import type { Logger } from '../http/infra/logger.js';

/**
 * Keeps why events were refused (first error's field and rule), for the data-quality page.
 * Never the value: messages name the rule. A failure here is logged, not turned into an error
 * for the source, whose accepted events are already durable.
 */
export async function recordRejections(
  warehouse: Warehouse,
  logger: Logger,
  sourceId: string,
  at: string,
  rejected: ReadonlyArray<{ errors: ReadonlyArray<{ path: string; message: string }> }>,
): Promise<void> {
  if (rejected.length === 0) return;
  const receivedAt = at.replace('T', ' ').replace('Z', '');
  try {
    await warehouse.insert({
      name: 'rejections.record',
      table: 'rejections',
      rows: rejected.map((r) => ({
        received_at: receivedAt,
        source_id: sourceId,
        path: (r.errors[0]?.path ?? '').slice(0, 120),
        message: (r.errors[0]?.message ?? '').slice(0, 300),
      })),
    });
  } catch (error) {
    logger.error('could not record rejections', { count: rejected.length, error: String(error) });
  }
}
