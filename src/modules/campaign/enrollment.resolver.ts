import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { declareFieldNeeds } from '../../common/pagination';
import { Creator } from '../creator/creator.entity';
import { UpdateEnrollmentInput } from './campaign.inputs';
import { Campaign } from './campaign.entity';
import { CampaignEnrollment, EnrollmentStatus } from './enrollment.entity';
import { EnrollmentService } from './enrollment.service';
import { EnrollmentEvent } from './enrollment-event.entity';
import { enrollmentHistory } from './enrollment-history';
import { Member } from '../member/member.entity';

@Resolver(() => CampaignEnrollment)
export class EnrollmentResolver extends NodeResolver(CampaignEnrollment) {
  private readonly enrollments = new EnrollmentService();

  @Authorized(Permission.WRITE)
  @Mutation(() => CampaignEnrollment, {
    description:
      'Moves an enrollment: INVITED -> ACCEPTED | DECLINED; ACCEPTED -> SAMPLE_SHIPPED (needs sampleTrackingNumber) | CONTENT_IN_REVIEW; ' +
      'SAMPLE_SHIPPED -> SAMPLE_DELIVERED -> CONTENT_IN_REVIEW -> POSTED (SAMPLE_SHIPPED may also go to CONTENT_IN_REVIEW); any open state -> REMOVED. ' +
      'submitContent and markContentLive make the content moves themselves. Other moves fail with INVALID_TRANSITION.',
  })
  setEnrollmentStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => EnrollmentStatus) status: EnrollmentStatus,
    @Arg('sampleTrackingNumber', () => String, { nullable: true }) sampleTrackingNumber: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignEnrollment> {
    return this.enrollments.setStatus(ctx, id, status, sampleTrackingNumber);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => CampaignEnrollment, { description: "Changes an enrollment's commission override or content due date." })
  updateEnrollment(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateEnrollmentInput) input: UpdateEnrollmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignEnrollment> {
    return this.enrollments.update(ctx, id, input);
  }

  @FieldResolver(() => Campaign)
  campaign(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Campaign | null | Promise<Campaign | null> {
    return ctx.loaders.loadById(Campaign, enrollment.campaignId);
  }

  @FieldResolver(() => Creator)
  creator(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Creator | null | Promise<Creator | null> {
    // Without a promise when the page of enrollments loaded it (see withPrefetch in CampaignResolver).
    return ctx.loaders.loadById(Creator, enrollment.creatorId);
  }

  @FieldResolver(() => [EnrollmentEvent], { description: 'Every move of this enrollment, oldest first: from, to, who, when.' })
  // The enrollment state machine has no cycles: invitation plus at most 6 moves.
  @ListBound(10)
  history(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Promise<EnrollmentEvent[]> {
    return enrollmentHistory(ctx, enrollment.id);
  }
}

@Resolver(() => EnrollmentEvent)
export class EnrollmentEventResolver {
  @FieldResolver(() => Member, { nullable: true, description: 'The member who made the move; null for API keys, former members and client viewers.' })
  by(@Root() event: EnrollmentEvent, @Ctx() ctx: RequestContext): Promise<Member | null> | null {
    return event.memberId ? ctx.loaders.byId(Member).load(event.memberId) : null;
  }
}

// The relations of an enrollment read their foreign keys (see withNodeFields).
declareFieldNeeds('CampaignEnrollment', { creator: ['creatorId'], campaign: ['campaignId'] });
