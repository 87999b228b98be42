import { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { RequestContext } from './context';

/**
 * The first wall between tenants: every read starts from `scopedQuery`, which keeps the rows
 * of the caller's agency and, for a CLIENT_VIEWER, only those that belong to their client.
 */

/** SQL condition on `alias` that keeps the rows of client `:__clientScope`. */
type ClientScope = (alias: string) => string;

const clientScopes = new Map<EntityTarget<ObjectLiteral>, ClientScope>();
const agencyColumns = new Map<EntityTarget<ObjectLiteral>, string>();

/** Declares how rows of `entity` belong to a client; entities without one are hidden from client viewers. */
export function registerClientScope(entity: EntityTarget<ObjectLiteral>, scope: ClientScope): void {
  clientScopes.set(entity, scope);
}

/** For the agency itself, whose own id is the tenant key. */
export function registerAgencyColumn(entity: EntityTarget<ObjectLiteral>, column: string): void {
  agencyColumns.set(entity, column);
}

export function scopedQuery<T extends ObjectLiteral>(
  ctx: RequestContext,
  entity: EntityTarget<T>,
  alias: string,
  em: EntityManager = ctx.em,
): SelectQueryBuilder<T> {
  const column = agencyColumns.get(entity) ?? 'agency_id';
  const qb = em.getRepository(entity).createQueryBuilder(alias).where(`"${alias}"."${column}" = :__agencyId`, { __agencyId: ctx.agencyId });
  const clientId = ctx.clientScope;
  if (clientId) {
    const scope = clientScopes.get(entity);
    // Fail closed: a table that has not declared its client scope shows a client viewer nothing.
    qb.andWhere(scope ? `(${scope(alias)})` : 'FALSE', { __clientScope: clientId, __memberId: ctx.viewer?.memberId ?? null });
  }
  return qb;
}
