import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { DateRangeInput } from '../../common/date-range';
import { ListBound } from '../../common/limits';
import { Connection, ForwardPageArgs, MAX_PAGE_SIZE } from '../../common/pagination';
import { Currency } from '../../common/scalars';
import { Campaign } from '../campaign/campaign.entity';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';
import { LeaderboardService } from './leaderboard.service';
import { MetricsService } from './metrics.service';
import { CreatorRanking, Granularity, LeaderboardMetric, MetricSeries, ProductProfit, ProductProfitConnection, ProfitBreakdown } from './metrics.types';
import { ProfitService } from './profit.service';

/**
 * The numbers out: series and profit as fields of the things they are about, and the creator
 * leaderboard. The root object was already loaded within the caller's scope; these fields only
 * read rollups (see metrics.service.ts).
 */

const metrics = new MetricsService();
const profits = new ProfitService();

const RANGE_DESCRIPTION = "Calendar days in the shop's time zone, both ends included.";
const CURRENCY_DESCRIPTION =
  "Figures of the caller's shops in this currency only. Needed (or shopId) when the caller's shops use several currencies: money is never added across currencies.";

@Resolver(() => Shop)
export class ShopMetricsResolver {
  @FieldResolver(() => MetricSeries)
  metrics(
    @Root() shop: Shop,
    @Arg('range', () => DateRangeInput, { description: RANGE_DESCRIPTION }) range: DateRangeInput,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: Granularity.DAY }) granularity: Granularity | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MetricSeries> {
    return metrics.series(ctx, metrics.shopSubject(shop), metrics.checkRange(range), granularity ?? Granularity.DAY);
  }

  @FieldResolver(() => ProfitBreakdown)
  profit(@Root() shop: Shop, @Arg('range', () => DateRangeInput) range: DateRangeInput, @Ctx() ctx: RequestContext): Promise<ProfitBreakdown> {
    return metrics.profit(ctx, metrics.shopSubject(shop), metrics.checkRange(range));
  }

  @FieldResolver(() => ProductProfitConnection, { description: 'Products with sales or samples in the range, most net profit first (then SKU).' })
  productProfit(
    @Root() shop: Shop,
    @Arg('range', () => DateRangeInput) range: DateRangeInput,
    @Args() page: ForwardPageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<ProductProfit>> {
    return profits.productProfit(ctx, shop, metrics.checkRange(range), page);
  }
}

@Resolver(() => Product)
export class ProductMetricsResolver {
  @FieldResolver(() => MetricSeries)
  metrics(
    @Root() product: Product,
    @Arg('range', () => DateRangeInput, { description: RANGE_DESCRIPTION }) range: DateRangeInput,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: Granularity.DAY }) granularity: Granularity | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MetricSeries> {
    return metrics.series(ctx, metrics.productSubject(product), metrics.checkRange(range), granularity ?? Granularity.DAY);
  }
}

@Resolver(() => Campaign)
export class CampaignMetricsResolver {
  @FieldResolver(() => MetricSeries, { description: "Sales attributed to the campaign. Without a range: the campaign's dates (to today while it has no end date)." })
  async metrics(
    @Root() campaign: Campaign,
    @Arg('range', () => DateRangeInput, { nullable: true }) range: DateRangeInput | null,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: Granularity.DAY }) granularity: Granularity | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MetricSeries> {
    return metrics.series(ctx, metrics.campaignSubject(campaign), await metrics.campaignRange(ctx, campaign, range), granularity ?? Granularity.DAY);
  }

  @FieldResolver(() => ProfitBreakdown, { description: "Profit of the campaign's attributed sales (with its ad spend). Without a range: the campaign's dates." })
  async profit(
    @Root() campaign: Campaign,
    @Arg('range', () => DateRangeInput, { nullable: true }) range: DateRangeInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ProfitBreakdown> {
    return metrics.profit(ctx, metrics.campaignSubject(campaign), await metrics.campaignRange(ctx, campaign, range));
  }
}

@Resolver(() => Creator)
export class CreatorMetricsResolver {
  @FieldResolver(() => MetricSeries, {
    description: "Sales attributed to the creator and their videos' stats (ad spend recorded per campaign is not split onto creators).",
  })
  async metrics(
    @Root() creator: Creator,
    @Arg('range', () => DateRangeInput, { description: RANGE_DESCRIPTION }) range: DateRangeInput,
    @Arg('granularity', () => Granularity, { nullable: true, defaultValue: Granularity.DAY }) granularity: Granularity | null,
    @Arg('shopId', () => ID, { nullable: true, description: "One shop's figures." }) shopId: string | null,
    @Arg('currency', () => Currency, { nullable: true, description: CURRENCY_DESCRIPTION }) currency: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MetricSeries> {
    metrics.checkRange(range);
    return metrics.series(ctx, await metrics.creatorSubject(ctx, creator, shopId, currency), range, granularity ?? Granularity.DAY);
  }

  @FieldResolver(() => ProfitBreakdown, {
    description: "What the creator's attributed sales earned the brand after COGS, fees, their commission, their videos' ad spend and their samples.",
  })
  async profit(
    @Root() creator: Creator,
    @Arg('range', () => DateRangeInput) range: DateRangeInput,
    @Arg('shopId', () => ID, { nullable: true }) shopId: string | null,
    @Arg('currency', () => Currency, { nullable: true, description: CURRENCY_DESCRIPTION }) currency: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ProfitBreakdown> {
    metrics.checkRange(range);
    return metrics.profit(ctx, await metrics.creatorSubject(ctx, creator, shopId, currency), range);
  }
}

@Resolver(() => CreatorRanking)
export class LeaderboardResolver {
  private readonly leaderboard = new LeaderboardService();

  @Authorized(Permission.READ)
  @Query(() => [CreatorRanking], {
    description:
      'Creators ranked by a metric over the range (attributed sales; with campaignId, sales attributed to that campaign). Ties: handle ascending. ' +
      'ROAS ranks only creators with ad spend. Across shops of several currencies pass currency (or shopId).',
  })
  @ListBound(MAX_PAGE_SIZE)
  creatorLeaderboard(
    @Arg('range', () => DateRangeInput) range: DateRangeInput,
    @Arg('metric', () => LeaderboardMetric, { nullable: true, defaultValue: LeaderboardMetric.GMV }) metric: LeaderboardMetric | null,
    @Arg('shopId', () => ID, { nullable: true }) shopId: string | null,
    @Arg('campaignId', () => ID, { nullable: true }) campaignId: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'At most 100.' }) first: number | null,
    @Arg('currency', () => Currency, { nullable: true, description: CURRENCY_DESCRIPTION }) currency: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatorRanking[]> {
    return this.leaderboard.creatorLeaderboard(ctx, { range, metric: metric ?? LeaderboardMetric.GMV, shopId, campaignId, currency, first: first ?? 20 });
  }
}
