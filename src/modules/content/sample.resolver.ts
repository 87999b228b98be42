import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { Connection, PageArgs, withCountHint } from '../../common/pagination';
import { DateTime } from '../../common/scalars';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { Sample } from './sample.entity';
import { MAX_ROI_ROWS, MAX_SAMPLES_PER_ENROLLMENT, SampleConnection, SampleRoi, SampleRoiGrouping, ShipSampleInput } from './sample.inputs';
import { SampleService } from './sample.service';

@Resolver(() => Sample)
export class SampleResolver extends NodeResolver(Sample) {
  private readonly sampleService = new SampleService();

  @Authorized(Permission.WRITE)
  @Mutation(() => Sample, { description: 'Records a sample sent to a creator; the first one moves an ACCEPTED enrollment to SAMPLE_SHIPPED.' })
  shipSample(@Arg('input', () => ShipSampleInput) input: ShipSampleInput, @Ctx() ctx: RequestContext): Promise<Sample> {
    return this.sampleService.ship(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Sample, {
    description: "The sample arrived: a SAMPLE_SHIPPED enrollment moves to SAMPLE_DELIVERED; the brief's due-date rule sets a missing contentDueDate.",
  })
  markSampleDelivered(
    @Arg('id', () => ID) id: string,
    @Arg('deliveredAt', () => DateTime, { nullable: true, description: 'Defaults to now.' }) deliveredAt: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Sample> {
    return this.sampleService.markDelivered(ctx, id, deliveredAt);
  }

  @Authorized(Permission.READ)
  @Query(() => SampleConnection, { description: 'Samples shipped more than shippedDaysAgo days ago whose enrollment has had no content submitted.' })
  samplesAwaitingContent(
    @Arg('shippedDaysAgo', () => Int) shippedDaysAgo: number,
    @Arg('campaignId', () => ID, { nullable: true }) campaignId: string | null,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Sample>> {
    return this.sampleService.awaitingContent(ctx, withCountHint(page, info), shippedDaysAgo, campaignId);
  }

  @Authorized(Permission.READ)
  @Query(() => [SampleRoi], { description: `Sample cost against attributed GMV in one shop, per creator or per campaign (at most ${MAX_ROI_ROWS}, largest cost first).` })
  @ListBound(MAX_ROI_ROWS)
  sampleRoi(
    @Arg('shopId', () => ID) shopId: string,
    @Arg('groupBy', () => SampleRoiGrouping) groupBy: SampleRoiGrouping,
    @Ctx() ctx: RequestContext,
  ): Promise<SampleRoi[]> {
    return this.sampleService.roi(ctx, shopId, groupBy);
  }

  @FieldResolver(() => CampaignEnrollment)
  enrollment(@Root() sample: Sample, @Ctx() ctx: RequestContext): Promise<CampaignEnrollment | null> {
    return ctx.loaders.byId(CampaignEnrollment).load(sample.enrollmentId);
  }

  @FieldResolver(() => Campaign)
  campaign(@Root() sample: Sample, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    return ctx.loaders.byId(Campaign).load(sample.campaignId);
  }

  @FieldResolver(() => Creator)
  creator(@Root() sample: Sample, @Ctx() ctx: RequestContext): Promise<Creator | null> {
    return ctx.loaders.byId(Creator).load(sample.creatorId);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() sample: Sample, @Ctx() ctx: RequestContext): Promise<Product | null> | null {
    return sample.productId ? ctx.loaders.byId(Product).load(sample.productId) : null;
  }
}

@Resolver(() => SampleRoi)
export class SampleRoiResolver {
  @FieldResolver(() => Campaign, { nullable: true, description: 'Set when grouped by campaign.' })
  campaign(@Root() row: SampleRoi, @Ctx() ctx: RequestContext): Promise<Campaign | null> | null {
    return row.campaignId ? ctx.loaders.byId(Campaign).load(row.campaignId) : null;
  }

  @FieldResolver(() => Creator, { nullable: true, description: 'Set when grouped by creator.' })
  creator(@Root() row: SampleRoi, @Ctx() ctx: RequestContext): Promise<Creator | null> | null {
    return row.creatorId ? ctx.loaders.byId(Creator).load(row.creatorId) : null;
  }
}

@Resolver(() => CampaignEnrollment)
export class EnrollmentSampleResolver {
  private readonly sampleService = new SampleService();

  @FieldResolver(() => [Sample], { description: 'Samples sent for this enrollment, oldest first.' })
  @ListBound(MAX_SAMPLES_PER_ENROLLMENT)
  samples(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Promise<Sample[]> {
    return this.sampleService.forEnrollment(ctx, enrollment.id);
  }
}
