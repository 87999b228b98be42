import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestContext } from '../../common/context';
import { NodeResolver } from '../../common/node';
import { Creator } from '../creator/creator.entity';
import { Campaign } from './campaign.entity';
import { CampaignEnrollment } from './enrollment.entity';

@Resolver(() => CampaignEnrollment)
export class EnrollmentResolver extends NodeResolver(CampaignEnrollment) {
  @FieldResolver(() => Campaign)
  campaign(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    return ctx.loaders.byId(Campaign).load(enrollment.campaignId);
  }

  @FieldResolver(() => Creator)
  creator(@Root() enrollment: CampaignEnrollment, @Ctx() ctx: RequestContext): Promise<Creator | null> {
    return ctx.loaders.byId(Creator).load(enrollment.creatorId);
  }
}
