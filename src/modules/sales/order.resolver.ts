import type { GraphQLResolveInfo } from 'graphql';
import { Content } from '../content/content.entity';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { DateRangeInput } from '../../common/date-range';
import { NodeResolver } from '../../common/node';
import { Connection, ForwardPageArgs, PageArgs, withCountHint } from '../../common/pagination';
import { Campaign } from '../campaign/campaign.entity';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';
import { IngestService } from './ingest.service';
import { OrderLine } from './ledger.entities';
import { DailyStatInput, IngestResult, MAX_INGEST_BATCH, OrderConnection, OrderFilter, OrderInput } from './order.inputs';
import { OrderService } from './order.service';

@Resolver(() => OrderLine)
export class OrderResolver extends NodeResolver(OrderLine, Permission.READ, 'Order') {
  private readonly orderService = new OrderService();
  private readonly ingestService = new IngestService();

  @Authorized(Permission.READ)
  @Query(() => OrderConnection, { description: "A shop's order lines, oldest placed first; range: calendar days in the shop's time zone, inclusive." })
  orders(
    @Args() page: ForwardPageArgs,
    @Arg('shopId', () => ID) shopId: string,
    @Arg('range', () => DateRangeInput, { nullable: true }) range: DateRangeInput | null,
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<OrderLine>> {
    return this.orderService.list(ctx, shopId, range, filter, withCountHint(page as PageArgs, info));
  }

  @Authorized(Permission.INGEST)
  @Mutation(() => IngestResult, {
    description:
      `Upserts order lines by externalId; a retried batch changes nothing (counted unchanged). At most ${MAX_INGEST_BATCH} lines. ` +
      'Each bad line is rejected with its index and a code while the good ones commit, all in one transaction.',
  })
  ingestOrders(
    @Arg('shopId', () => ID) shopId: string,
    @Arg('orders', () => [OrderInput]) orders: OrderInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<IngestResult> {
    return this.ingestService.ingestOrders(ctx, shopId, orders);
  }

  @Authorized(Permission.INGEST)
  @Mutation(() => IngestResult, {
    description: `Upserts daily stats by (date, video or campaign); same per-row rejections as ingestOrders. At most ${MAX_INGEST_BATCH} rows.`,
  })
  ingestDailyStats(
    @Arg('shopId', () => ID) shopId: string,
    @Arg('stats', () => [DailyStatInput]) stats: DailyStatInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<IngestResult> {
    return this.ingestService.ingestDailyStats(ctx, shopId, stats);
  }

  @FieldResolver(() => Shop)
  shop(@Root() line: OrderLine, @Ctx() ctx: RequestContext): Promise<Shop | null> {
    return ctx.loaders.byId(Shop).load(line.shopId);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() line: OrderLine, @Ctx() ctx: RequestContext): Promise<Product | null> | null {
    return line.productId ? ctx.loaders.byId(Product).load(line.productId) : null;
  }

  @FieldResolver(() => Creator, { nullable: true, description: 'The affiliate the sale is attributed to; null for shop sales without one.' })
  creator(@Root() line: OrderLine, @Ctx() ctx: RequestContext): Promise<Creator | null> | null {
    return line.creatorId ? ctx.loaders.byId(Creator).load(line.creatorId) : null;
  }

  @FieldResolver(() => Content, { nullable: true, description: 'The content (video) the sale came through, matched by video id.' })
  content(@Root() line: OrderLine, @Ctx() ctx: RequestContext): Promise<Content | null> | null {
    return line.contentId ? ctx.loaders.byId(Content).load(line.contentId) : null;
  }

  @FieldResolver(() => Campaign, { nullable: true })
  campaign(@Root() line: OrderLine, @Ctx() ctx: RequestContext): Promise<Campaign | null> | null {
    return line.campaignId ? ctx.loaders.byId(Campaign).load(line.campaignId) : null;
  }
}
