import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { DateRangeInput, MAX_RANGE_DAYS } from '../../common/date-range';
import { DailyListBound } from '../../common/limits';
import { Shop } from '../shop/shop.entity';
import { ShopHealth, ShopHealthInput } from './health.types';
import { HealthService } from './health.service';

@Resolver(() => Shop)
export class HealthResolver {
  private readonly healthService = new HealthService();

  @Authorized(Permission.INGEST)
  @Mutation(() => ShopHealth, { description: "Records a day's account-health snapshot of a shop (upserted by shop and date)." })
  recordShopHealth(
    @Arg('shopId', () => ID) shopId: string,
    @Arg('input', () => ShopHealthInput) input: ShopHealthInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ShopHealth> {
    return this.healthService.record(ctx, shopId, input);
  }

  @FieldResolver(() => ShopHealth, { nullable: true, description: 'Latest account-health snapshot, with the risks it flags.' })
  health(@Root() shop: Shop, @Ctx() ctx: RequestContext): Promise<ShopHealth | null> {
    return this.healthService.latest(ctx, shop);
  }

  @FieldResolver(() => [ShopHealth], { description: 'The snapshots of the range\'s days (inclusive), oldest first.' })
  @DailyListBound(MAX_RANGE_DAYS, 'range')
  healthHistory(@Root() shop: Shop, @Arg('range', () => DateRangeInput) range: DateRangeInput, @Ctx() ctx: RequestContext): Promise<ShopHealth[]> {
    return this.healthService.history(ctx, shop, range);
  }
}
