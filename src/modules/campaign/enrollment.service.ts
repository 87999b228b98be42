import { In } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { assertTransition, Transitions } from '../../common/transitions';
import { validateInput } from '../../common/validation';
import { Connection, CREATED_ORDER, ListSpec, loadNestedConnection, PageArgs } from '../../common/pagination';
import { Creator } from '../creator/creator.entity';
import { EnrollCreatorInput, MAX_ENROLLMENTS_PER_CALL } from './campaign.inputs';
import { CampaignService } from './campaign.service';
import { CampaignEnrollment, EnrollmentStatus } from './enrollment.entity';
import { scopedQuery } from '../../common/tenancy';

const S = EnrollmentStatus;

/**
 * A creator's path through a campaign: invited, accepts (or declines), gets a sample, makes
 * content that is reviewed, posts. Removal is possible from any open state; DECLINED and
 * REMOVED are final.
 */
export const ENROLLMENT_MOVES: Transitions<EnrollmentStatus> = {
  [S.INVITED]: [S.ACCEPTED, S.DECLINED, S.REMOVED],
  [S.ACCEPTED]: [S.SAMPLE_SHIPPED, S.CONTENT_IN_REVIEW, S.REMOVED],
  [S.SAMPLE_SHIPPED]: [S.SAMPLE_DELIVERED, S.REMOVED],
  [S.SAMPLE_DELIVERED]: [S.CONTENT_IN_REVIEW, S.REMOVED],
  [S.CONTENT_IN_REVIEW]: [S.POSTED, S.REMOVED],
  [S.POSTED]: [S.REMOVED],
  [S.DECLINED]: [],
  [S.REMOVED]: [],
};

export class EnrollmentService {
  private readonly campaigns = new CampaignService();

  private spec(ctx: RequestContext): ListSpec<CampaignEnrollment> {
    return {
      keys: CREATED_ORDER,
      query: () =>
        scopedQuery(ctx, CampaignEnrollment, 'enrollment'),
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
    const errors = await validateInput(creators, 'creators');
    const decoded = creators.map((c, i) => errors.attempt(() => decodeId('Creator', c.creatorId, `creators.${i}.creatorId`)));
    decoded.forEach((id, i) => {
      const first = decoded.indexOf(id);
      if (id && first !== i) errors.add(`creators.${i}.creatorId`, `duplicates creators.${first}.creatorId`);
    });
    errors.throwIfAny();
    const creatorIds = decoded as string[]; // no problems, so every id decoded

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

  /** Moves an enrollment along ENROLLMENT_MOVES; shipping a sample needs its tracking number. */
  async setStatus(ctx: RequestContext, globalId: string, status: EnrollmentStatus, trackingNumber?: string | null): Promise<CampaignEnrollment> {
    const id = decodeId('CampaignEnrollment', globalId);
    const tracking = trackingNumber?.trim() || null;
    if (status === S.SAMPLE_SHIPPED && !tracking) {
      throw AppError.badField('sampleTrackingNumber', 'is required to mark a sample shipped');
    }
    return ctx.transaction(async (em) => {
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, id, 'id', true);
      const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
      this.campaigns.assertEditable(campaign);
      assertTransition('Enrollment', ENROLLMENT_MOVES, enrollment.status, status);
      enrollment.status = status;
      if (tracking) enrollment.sampleTrackingNumber = tracking;
      return em.save(enrollment);
    });
  }
}
