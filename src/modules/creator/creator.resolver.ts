import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Info } from 'type-graphql';
import { Permission } from '../../common/access';
import { withCountHint } from '../../common/pagination';
import { RequestContext } from '../../common/context';
import { EmailAddress } from '../../common/scalars';
import { NodeResolver } from '../../common/node';
import { Connection, ForwardPageArgs, PageArgs } from '../../common/pagination';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { CampaignEnrollmentConnection } from '../campaign/campaign.inputs';
import { EnrollmentService } from '../campaign/enrollment.service';
import { Creator, CreatorTier } from './creator.entity';
import { tierOf } from './tiers';
import { CreateCreatorInput, CreatorByHandleArgs, CreatorConnection, CreatorFilter, CreatorOrder, UpdateCreatorInput } from './creator.inputs';
import { CreatorService } from './creator.service';

@Resolver(() => Creator)
export class CreatorResolver extends NodeResolver(Creator) {
  private readonly creatorService = new CreatorService();
  private readonly enrollments = new EnrollmentService();

  @Authorized(Permission.READ)
  @Query(() => CreatorConnection)
  creators(
    @Args() page: PageArgs,
    @Arg('filter', () => CreatorFilter, { nullable: true }) filter: CreatorFilter | null,
    @Arg('orderBy', () => CreatorOrder, { nullable: true, description: 'Defaults to CREATED_AT ascending.' }) orderBy: CreatorOrder | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Creator>> {
    return this.creatorService.list(ctx, withCountHint(page, info), filter, orderBy);
  }

  @Authorized(Permission.READ)
  @Query(() => Creator, { nullable: true, description: "A creator by id; null when it does not exist or is not the caller's (like node)." })
  creator(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Creator | null> {
    return this.creatorService.find(ctx, id);
  }

  @Authorized(Permission.READ)
  @Query(() => Creator, {
    nullable: true,
    description: "A creator by TikTok handle (with or without '@', any case); null when the agency has none (a client viewer: none enrolled with their client).",
  })
  creatorByHandle(@Args() { handle }: CreatorByHandleArgs, @Ctx() ctx: RequestContext): Promise<Creator | null> {
    return this.creatorService.findByHandle(ctx, handle);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Creator)
  createCreator(@Arg('input', () => CreateCreatorInput) input: CreateCreatorInput, @Ctx() ctx: RequestContext): Promise<Creator> {
    return this.creatorService.create(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Creator)
  updateCreator(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCreatorInput) input: UpdateCreatorInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Creator> {
    return this.creatorService.update(ctx, id, input);
  }

  @FieldResolver(() => EmailAddress, { nullable: true, description: 'Null for client viewers: creators\' personal data stays with the agency.' })
  email(@Root() creator: Creator, @Ctx() ctx: RequestContext): string | null {
    return ctx.seesPersonalData ? creator.email : null;
  }

  @FieldResolver(() => CreatorTier, { description: 'Segment from trailing 30-day attributed GMV; thresholds are documented and configurable.' })
  tier(@Root() creator: Creator, @Ctx() ctx: RequestContext): CreatorTier | Promise<CreatorTier> {
    return tierOf(ctx, creator);
  }

  @FieldResolver(() => CampaignEnrollmentConnection, { description: "The creator's campaign enrollments." })
  campaigns(@Root() creator: Creator, @Args() page: ForwardPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<CampaignEnrollment>> {
    return this.enrollments.forCreator(ctx, creator.id, page);
  }
}
