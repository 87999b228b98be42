import { EntityManager } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Connection, CREATED_ORDER, fetchConnection, ListSpec, loadNestedConnection, PageArgs } from '../../common/pagination';
import { isUniqueViolation } from '../../common/sql';
import { ClientService } from '../client/client.service';
import { Shop } from './shop.entity';
import { CreateShopInput, UpdateShopInput } from './shop.inputs';
import { scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';

/** True for a time zone name the runtime knows (IANA), such as Europe/London. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The trimmed time zone, or BAD_USER_INPUT on `path` when it is not an IANA name. */
function checkTimeZone(value: string, path: string): string {
  const timeZone = value.trim();
  if (!isTimeZone(timeZone)) throw AppError.badField(path, 'must be an IANA time zone such as America/Los_Angeles');
  return timeZone;
}

export class ShopService {
  private readonly clients = new ClientService();

  private spec(ctx: RequestContext, clientId?: string): ListSpec<Shop> {
    return {
      keys: CREATED_ORDER,
      query: () => {
        const qb = scopedQuery(ctx, Shop, 'shop');
        if (clientId) qb.andWhere('shop.clientId = :clientId', { clientId });
        return qb;
      },
    };
  }

  list(ctx: RequestContext, page: PageArgs, clientGlobalId?: string | null): Promise<Connection<Shop>> {
    const clientId = clientGlobalId ? decodeId('Client', clientGlobalId, 'clientId') : undefined;
    return fetchConnection(this.spec(ctx, clientId), page);
  }

  forClient(ctx: RequestContext, clientId: string, page: PageArgs): Promise<Connection<Shop>> {
    return loadNestedConnection(ctx.loaders, 'Client.shops', this.spec(ctx), { column: 'client_id', property: 'clientId' }, clientId, page);
  }

  /** shop(id:): like node(id:), null for missing ids and for rows the caller may not see. */
  find(ctx: RequestContext, globalId: string): Promise<Shop | null> {
    return ctx.loaders.byId(Shop).load(decodeId('Shop', globalId));
  }

  /** Renames a shop, changes its status or its time zone; the rest of a shop is fixed. */
  async update(ctx: RequestContext, globalId: string, input: UpdateShopInput): Promise<Shop> {
    const id = decodeId('Shop', globalId);
    const timeZone = input.timeZone === undefined || input.timeZone === null ? undefined : checkTimeZone(input.timeZone, 'input.timeZone');
    return ctx.transaction(async (em) => {
      const shop = await findOwned(ctx, em, Shop, id, 'id', true);
      if (input.name !== undefined && input.name !== null) shop.name = input.name.trim();
      if (input.status !== undefined && input.status !== null) shop.status = input.status;
      if (timeZone) shop.timeZone = timeZone;
      if (input.defaultCommissionRateBps !== undefined && input.defaultCommissionRateBps !== null) shop.defaultCommissionRateBps = input.defaultCommissionRateBps;
      if (input.platformFeeBps !== undefined && input.platformFeeBps !== null) shop.platformFeeBps = input.platformFeeBps;
      return em.save(shop);
    });
  }

  /** A shop of the caller's agency, or NOT_FOUND naming `path`. */
  get(ctx: RequestContext, em: EntityManager, id: string, path = 'id'): Promise<Shop> {
    return findOwned(ctx, em, Shop, id, path);
  }

  async create(ctx: RequestContext, input: CreateShopInput): Promise<Shop> {
    const errors = await validateInput(input, 'input');
    const decoded = errors.attempt(() => decodeId('Client', input.clientId, 'input.clientId'));
    const timeZone = input.timeZone.trim();
    if (!errors.has('input.timeZone') && !isTimeZone(timeZone)) errors.add('input.timeZone', 'must be an IANA time zone such as America/Los_Angeles');
    errors.throwIfAny();
    const clientId = decoded!; // no problems, so it decoded
    const externalId = input.externalId.trim();
    try {
      return await ctx.transaction(async (em) => {
        await this.clients.get(ctx, em, clientId, 'input.clientId');
        return em.save(
          em.create(Shop, {
            agencyId: ctx.agencyId,
            clientId,
            name: input.name.trim(),
            externalId,
            region: input.region.toUpperCase(),
            currency: input.currency.toUpperCase(),
            timeZone,
            // Omitted: the column defaults (1000 and 800 bps, see Shop).
            ...(input.defaultCommissionRateBps != null ? { defaultCommissionRateBps: input.defaultCommissionRateBps } : {}),
            ...(input.platformFeeBps != null ? { platformFeeBps: input.platformFeeBps } : {}),
          }),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_shops_agency_external_id')) {
        throw AppError.conflict(`A shop with externalId ${externalId} already exists`, { 'input.externalId': ['already in use'] });
      }
      throw err;
    }
  }
}
