import { RequestContext } from '../../common/context';
import { DateRangeInput } from '../../common/date-range';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Connection, fetchConnection, PageArgs, SortKey } from '../../common/pagination';
import { scopedQuery } from '../../common/tenancy';
import { Shop } from '../shop/shop.entity';
import { OrderLine } from './ledger.entities';
import { OrderFilter } from './order.inputs';

/** Orders list oldest first, like every list: by when they were placed, then id. */
const PLACED_ORDER: SortKey[] = [
  { column: 'placed_at', kind: 'timestamp', property: 'placedAt', direction: 'ASC' },
  { column: 'id', kind: 'uuid', property: 'id', direction: 'ASC' },
];

export class OrderService {
  /**
   * The order lines of one shop, optionally within calendar days of the shop's time zone and
   * filtered by status, creator and campaign. Another agency's shop (or, for a client viewer,
   * another client's) is NOT_FOUND, exactly like a shop that does not exist.
   */
  async list(ctx: RequestContext, shopGlobalId: string, range: DateRangeInput | null, filter: OrderFilter | null, page: PageArgs): Promise<Connection<OrderLine>> {
    const shopId = decodeId('Shop', shopGlobalId, 'shopId');
    // The range's own rules (to >= from, at most MAX_RANGE_DAYS) are checked with the argument.
    const creatorId = filter?.creatorId ? decodeId('Creator', filter.creatorId, 'filter.creatorId') : undefined;
    const campaignId = filter?.campaignId ? decodeId('Campaign', filter.campaignId, 'filter.campaignId') : undefined;
    const shop = await ctx.loaders.byId(Shop).load(shopId);
    if (!shop) throw AppError.notFound('Shop', 'shopId');
    return fetchConnection(
      {
        keys: PLACED_ORDER,
        query: () => {
          const qb = scopedQuery(ctx, OrderLine, 'line').andWhere('line.shopId = :shopId', { shopId });
          if (range) qb.andWhere('line.orderDay BETWEEN :from AND :to', { from: range.from, to: range.to });
          if (filter?.status?.length) qb.andWhere('line.status IN (:...statuses)', { statuses: filter.status });
          if (creatorId) qb.andWhere('line.creatorId = :creatorId', { creatorId });
          if (campaignId) qb.andWhere('line.campaignId = :campaignId', { campaignId });
          return qb;
        },
      },
      page,
    );
  }
}
