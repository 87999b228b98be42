import { EntityManager } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Connection, CREATED_ORDER, fetchConnection, ListSpec, orderedBy, PageArgs, SortKey } from '../../common/pagination';
import { likePattern } from '../../common/sql';
import { Member } from '../member/member.entity';
import { Client, ClientStatus } from './client.entity';
import { ClientFilter, ClientOrder, ClientOrderField, CreateClientInput, UpdateClientInput } from './client.inputs';
import { scopedQuery } from '../../common/tenancy';

const ORDER_COLUMNS: Record<ClientOrderField, Omit<SortKey, 'direction'>> = {
  [ClientOrderField.NAME]: { column: 'name', kind: 'text', property: 'name', caseInsensitive: true },
  [ClientOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp', property: 'createdAt' },
};

export class ClientService {
  private spec(ctx: RequestContext, filter: ClientFilter | null | undefined, order?: ClientOrder | null): ListSpec<Client> {
    return {
      keys: order ? orderedBy(ORDER_COLUMNS[order.field], order.direction) : CREATED_ORDER,
      query: () => {
        const qb = scopedQuery(ctx, Client, 'client');
        if (filter?.status?.length) qb.andWhere('client.status IN (:...statuses)', { statuses: filter.status });
        if (filter?.search) qb.andWhere('client.name ILIKE :search', { search: likePattern(filter.search) });
        return qb;
      },
    };
  }

  list(ctx: RequestContext, page: PageArgs, filter?: ClientFilter | null, order?: ClientOrder | null): Promise<Connection<Client>> {
    return fetchConnection(this.spec(ctx, filter, order), page);
  }

  /** client(id:): like node(id:), null for missing ids and for rows the caller may not see. */
  find(ctx: RequestContext, globalId: string): Promise<Client | null> {
    return ctx.loaders.byId(Client).load(decodeId('Client', globalId));
  }

  /** A client of the caller's agency, or NOT_FOUND (naming `path` when the id came from input). */
  get(ctx: RequestContext, em: EntityManager, id: string, path = 'id'): Promise<Client> {
    return findOwned(ctx, em, Client, id, path);
  }

  async create(ctx: RequestContext, input: CreateClientInput): Promise<Client> {
    return ctx.transaction(async (em) => {
      const client = em.create(Client, {
        agencyId: ctx.agencyId,
        name: input.name.trim(),
        status: input.status ?? ClientStatus.ONBOARDING,
        accountManagerId: await this.accountManagerId(ctx, em, input.accountManagerId),
        monthlyGmvTargetMinor: input.monthlyGmvTarget?.amountMinor ?? null,
        monthlyGmvTargetCurrency: input.monthlyGmvTarget?.currency ?? null,
      });
      return em.save(client);
    });
  }

  async update(ctx: RequestContext, globalId: string, input: UpdateClientInput): Promise<Client> {
    const id = decodeId('Client', globalId);
    return ctx.transaction(async (em) => {
      const client = await this.get(ctx, em, id);
      if (input.name !== undefined && input.name !== null) client.name = input.name.trim();
      if (input.status !== undefined && input.status !== null) client.status = input.status;
      if (input.accountManagerId !== undefined) {
        client.accountManagerId = await this.accountManagerId(ctx, em, input.accountManagerId);
      }
      if (input.monthlyGmvTarget !== undefined) {
        client.monthlyGmvTargetMinor = input.monthlyGmvTarget?.amountMinor ?? null;
        client.monthlyGmvTargetCurrency = input.monthlyGmvTarget?.currency ?? null;
      }
      return em.save(client);
    });
  }

  /** Decodes and checks an account manager id: a member of the caller's agency. */
  private async accountManagerId(ctx: RequestContext, em: EntityManager, globalId: string | null | undefined): Promise<string | null> {
    if (globalId === null || globalId === undefined) return null;
    const path = 'input.accountManagerId';
    const id = decodeId('Member', globalId, path);
    const exists = await em.getRepository(Member).exists({ where: { id, agencyId: ctx.agencyId } });
    if (!exists) throw AppError.notFound('Member', path);
    return id;
  }
}
