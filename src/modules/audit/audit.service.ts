import { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { decodeId, toGlobalId } from '../../common/global-id';
import { nodeType } from '../../common/node';
import { Connection, fetchConnection, PageArgs, SortKey } from '../../common/pagination';
import { scopedQuery } from '../../common/tenancy';
import { AuditEntry } from './audit-entry.entity';
import { AuditLogFilter } from './audit.inputs';

const NEWEST_FIRST: SortKey[] = [
  { column: 'created_at', kind: 'timestamp', property: 'createdAt', direction: 'DESC' },
  { column: 'id', kind: 'uuid', property: 'id', direction: 'DESC' },
];

/** Global ids of the Node rows in a mutation's result (a row, a list, or an object holding rows). */
function targetIds(result: unknown, depth = 0): string[] {
  if (result === null || typeof result !== 'object' || depth > 2) return [];
  if (Array.isArray(result)) return result.flatMap((item) => targetIds(item, depth + 1));
  const row = result as { id?: unknown; constructor: { name: string } };
  if (typeof row.id === 'string' && nodeType(row.constructor.name)) return [toGlobalId(row.constructor.name, row.id)];
  return Object.values(result).flatMap((value) => targetIds(value, depth + 1));
}

export class AuditService {
  /** Records a successful mutation inside its transaction: it commits or rolls back with the writes. */
  async record(ctx: RequestContext, em: EntityManager, result: unknown): Promise<void> {
    const viewer = ctx.viewer;
    if (!viewer) return;
    await em.insert(AuditEntry, {
      agencyId: viewer.agencyId,
      memberId: viewer.memberId,
      apiKeyId: viewer.apiKeyId,
      operation: ctx.operation ?? 'unknown',
      targetIds: [...new Set(targetIds(result))],
      requestId: ctx.requestId,
    });
  }

  list(ctx: RequestContext, page: PageArgs, filter?: AuditLogFilter | null): Promise<Connection<AuditEntry>> {
    const memberId = filter?.memberId ? decodeId('Member', filter.memberId, 'filter.memberId') : undefined;
    const apiKeyId = filter?.apiKeyId ? decodeId('ApiKey', filter.apiKeyId, 'filter.apiKeyId') : undefined;
    return fetchConnection(
      {
        keys: NEWEST_FIRST,
        query: () => {
          const qb = scopedQuery(ctx, AuditEntry, 'entry');
          if (memberId) qb.andWhere('entry.memberId = :memberId', { memberId });
          if (apiKeyId) qb.andWhere('entry.apiKeyId = :apiKeyId', { apiKeyId });
          if (filter?.operations?.length) qb.andWhere('entry.operation IN (:...operations)', { operations: filter.operations });
          if (filter?.targetId) qb.andWhere(':targetId = ANY(entry.targetIds)', { targetId: filter.targetId });
          if (filter?.from) qb.andWhere('entry.createdAt >= :from', { from: filter.from });
          if (filter?.to) qb.andWhere('entry.createdAt < :to', { to: filter.to });
          return qb;
        },
      },
      page,
    );
  }
}
