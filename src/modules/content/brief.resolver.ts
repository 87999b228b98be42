import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { CampaignBrief } from './brief.entity';
import { PublishBriefInput } from './brief.inputs';
import { BriefService, MAX_BRIEF_VERSIONS } from './brief.service';

@Resolver(() => CampaignBrief)
export class BriefResolver {
  private readonly briefService = new BriefService();

  @Authorized(Permission.WRITE)
  @Mutation(() => CampaignBrief, {
    description:
      "Publishes the next version of a campaign's brief. Enrollments without a brief are given it; with giveToOpenEnrollments, every open enrollment is. " +
      'Enrollments made later get the latest version.',
  })
  publishCampaignBrief(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('input', () => PublishBriefInput) input: PublishBriefInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignBrief> {
    return this.briefService.publish(ctx, campaignId, input);
  }

  @FieldResolver(() => Campaign)
  campaign(@Root() brief: CampaignBrief, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    return ctx.loaders.byId(Campaign).load(brief.campaignId);
  }
}

@Resolver(() => Campaign)
export class CampaignBriefResolver {
  private readonly briefService = new BriefService();

  @FieldResolver(() => CampaignBrief, { nullable: true, description: 'The latest version of the brief.' })
  brief(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<CampaignBrief | null> {
    return this.briefService.latest(ctx, campaign.id);
  }

  @FieldResolver(() => [CampaignBrief], { description: 'Every version of the brief, oldest first.' })
  @ListBound(MAX_BRIEF_VERSIONS)
  briefs(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<CampaignBrief[]> {
    return this.briefService.versions(ctx, campaign.id);
  }
}

@Resolver(() => CampaignEnrollment)
export class EnrollmentBriefResolver {
  private readonly briefService = new BriefService();

  @FieldResolver(() => CampaignBrief, { nullable: true, description: 'The version of the brief this creator was given.' })
  brief(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Promise<CampaignBrief | null> {
    return this.briefService.given(ctx, enrollment);
  }
}
