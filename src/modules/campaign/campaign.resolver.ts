import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Info } from 'type-graphql';
import { Permission } from '../../common/access';
import { declareFieldNeeds, Prefetch, withCountHint, withNodeFields, withPrefetch } from '../../common/pagination';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { Connection, ForwardPageArgs, PageArgs } from '../../common/pagination';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';
import { Campaign, CampaignStatus } from './campaign.entity';
import {
  CampaignConnection,
  CampaignEnrollmentConnection,
  CampaignFilter,
  CampaignOrder,
  CreateCampaignInput,
  EnrollCreatorInput,
  EnrollmentFilter,
  MAX_CAMPAIGN_PRODUCTS,
  MAX_ENROLLMENTS_PER_CALL,
  UpdateCampaignInput,
} from './campaign.inputs';
import { CampaignService } from './campaign.service';
import { CampaignEnrollment } from './enrollment.entity';
import { EnrollmentService } from './enrollment.service';
import { Creator } from '../creator/creator.entity';

/** Enrollment fields resolved by id that a page of enrollments loads with itself when asked for. */
const ENROLLMENT_RELATIONS: Prefetch[] = [{ field: 'creator', entity: Creator, property: 'creatorId' }];

@Resolver(() => Campaign)
export class CampaignResolver extends NodeResolver(Campaign) {
  private readonly campaignService = new CampaignService();
  private readonly enrollmentService = new EnrollmentService();

  @Authorized(Permission.READ)
  @Query(() => CampaignConnection)
  campaigns(
    @Args() page: PageArgs,
    @Arg('filter', () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Arg('orderBy', () => CampaignOrder, { nullable: true, description: 'Defaults to CREATED_AT ascending.' }) orderBy: CampaignOrder | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Campaign>> {
    return this.campaignService.list(ctx, withCountHint(page, info), filter, orderBy);
  }

  @Authorized(Permission.READ)
  @Query(() => Campaign, { nullable: true, description: "A campaign by id; null when it does not exist or is not the caller's (like node)." })
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    return this.campaignService.find(ctx, id);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Campaign, { description: 'Creates a campaign in DRAFT.' })
  createCampaign(@Arg('input', () => CreateCampaignInput) input: CreateCampaignInput, @Ctx() ctx: RequestContext): Promise<Campaign> {
    return this.campaignService.create(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Campaign)
  updateCampaign(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCampaignInput) input: UpdateCampaignInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Campaign> {
    return this.campaignService.update(ctx, id, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Campaign, {
    description: 'Moves a campaign through DRAFT -> ACTIVE <-> PAUSED -> COMPLETED, or CANCELLED; other moves fail with INVALID_TRANSITION.',
  })
  setCampaignStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => CampaignStatus) status: CampaignStatus,
    @Ctx() ctx: RequestContext,
  ): Promise<Campaign> {
    return this.campaignService.setStatus(ctx, id, status);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => [CampaignEnrollment], {
    description:
      'Invites creators (at most 500 per call). A creator already enrolled is returned unchanged when the terms given (commission, due date; ' +
      'omitted ones are not compared) match theirs, so retries are harmless; when they differ the call fails with CONFLICT and changes nothing: use updateEnrollment.',
  })
  @ListBound(MAX_ENROLLMENTS_PER_CALL, 'creators')
  enrollCreators(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('creators', () => [EnrollCreatorInput]) creators: EnrollCreatorInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignEnrollment[]> {
    return this.enrollmentService.enroll(ctx, campaignId, creators);
  }

  @FieldResolver(() => Shop)
  shop(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<Shop | null> {
    return ctx.loaders.byId(Shop).load(campaign.shopId);
  }

  @FieldResolver(() => [Product])
  @ListBound(MAX_CAMPAIGN_PRODUCTS)
  products(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<Product[]> {
    return this.campaignService.products(ctx, campaign.id);
  }

  @FieldResolver(() => CampaignEnrollmentConnection)
  enrollments(
    @Root() campaign: Campaign,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => EnrollmentFilter, { nullable: true }) filter: EnrollmentFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<CampaignEnrollment>> {
    return this.enrollmentService.forCampaign(ctx, campaign.id, withNodeFields(withPrefetch(page, info, ENROLLMENT_RELATIONS), info), filter);
  }
}

// What the nested lists read of a campaign: its id (see withNodeFields).
declareFieldNeeds('Campaign', { enrollments: ['id'] });
