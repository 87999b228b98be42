import { In } from 'typeorm';
import { RequestContext } from '../../common/context';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Connection, CREATED_ORDER, ListSpec, loadNestedConnection, PageArgs } from '../../common/pagination';
import { Creator } from '../creator/creator.entity';
import { EnrollCreatorInput, MAX_ENROLLMENTS_PER_CALL } from './campaign.inputs';
import { CampaignService } from './campaign.service';
import { CampaignEnrollment, EnrollmentStatus } from './enrollment.entity';

export class EnrollmentService {
  private readonly campaigns = new CampaignService();

  private spec(ctx: RequestContext): ListSpec<CampaignEnrollment> {
    return {
      keys: CREATED_ORDER,
      query: () =>
        ctx.em.getRepository(CampaignEnrollment).createQueryBuilder('enrollment').where('enrollment.agencyId = :agencyId', { agencyId: ctx.agencyId }),
    };
  }

  forCampaign(ctx: RequestContext, campaignId: string, page: PageArgs): Promise<Connection<CampaignEnrollment>> {
    return loadNestedConnection(ctx.loaders, 'Campaign.enrollments', this.spec(ctx), { column: 'campaign_id', property: 'campaignId' }, campaignId, page);
  }

  forCreator(ctx: RequestContext, creatorId: string, page: PageArgs): Promise<Connection<CampaignEnrollment>> {
    return loadNestedConnection(ctx.loaders, 'Creator.campaigns', this.spec(ctx), { column: 'creator_id', property: 'creatorId' }, creatorId, page);
  }

  /**
   * Invites creators to a campaign, all or none. Enrolling a creator who is already enrolled
   * changes nothing and returns the existing enrollment, so a retried call is harmless.
   */
  async enroll(ctx: RequestContext, campaignGlobalId: string, creators: EnrollCreatorInput[]): Promise<CampaignEnrollment[]> {
    const campaignId = decodeId('Campaign', campaignGlobalId, 'campaignId');
    if (creators.length > MAX_ENROLLMENTS_PER_CALL) {
      throw AppError.badField('creators', `at most ${MAX_ENROLLMENTS_PER_CALL} creators per call`);
    }
    const creatorIds = creators.map((c, i) => decodeId('Creator', c.creatorId, `creators.${i}.creatorId`));
    const duplicates = new FieldErrorCollector();
    creatorIds.forEach((id, i) => {
      const first = creatorIds.indexOf(id);
      if (first !== i) duplicates.add(`creators.${i}.creatorId`, `duplicates creators.${first}.creatorId`);
    });
    duplicates.throwIfAny();

    return ctx.transaction(async (em) => {
      const campaign = await this.campaigns.getForUpdate(ctx, em, campaignId, 'campaignId');
      this.campaigns.assertEditable(campaign);
      if (creatorIds.length === 0) return [];
      const known = new Set(
        (await em.getRepository(Creator).find({ where: { id: In(creatorIds), agencyId: ctx.agencyId }, select: { id: true } })).map((c) => c.id),
      );
      const missing = new FieldErrorCollector();
      creatorIds.forEach((id, i) => known.has(id) || missing.add(`creators.${i}.creatorId`, 'no such creator'));
      if (!missing.empty) throw new AppError(ErrorCode.NOT_FOUND, 'Creator not found', { fields: missing.fields });

      await em
        .createQueryBuilder()
        .insert()
        .into(CampaignEnrollment)
        .values(
          creators.map((c, i) => ({
            agencyId: ctx.agencyId,
            campaignId,
            creatorId: creatorIds[i],
            status: EnrollmentStatus.INVITED,
            commissionRateBps: c.commissionRateBps ?? null,
            contentDueDate: c.contentDueDate ?? null,
          })),
        )
        .orIgnore()
        .updateEntity(false)
        .execute();
      const rows = await em.getRepository(CampaignEnrollment).find({ where: { campaignId, creatorId: In(creatorIds), agencyId: ctx.agencyId } });
      const byCreator = new Map(rows.map((r) => [r.creatorId, r]));
      return creatorIds.map((id) => byCreator.get(id)!);
    });
  }
}
