import { In } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decodeId, toGlobalId } from '../../common/global-id';
import { assertTransition, Transitions } from '../../common/transitions';
import { validateInput } from '../../common/validation';
import { Connection, CREATED_ORDER, ListSpec, loadNestedConnection, PageArgs } from '../../common/pagination';
import { Creator } from '../creator/creator.entity';
import { EnrollCreatorInput, EnrollmentFilter, MAX_ENROLLMENTS_PER_CALL, UpdateEnrollmentInput } from './campaign.inputs';
import { CampaignService } from './campaign.service';
import { CampaignEnrollment, EnrollmentStatus } from './enrollment.entity';
import { scopedQuery } from '../../common/tenancy';
import { isBlank } from '../../common/inputs';
import { currentTime } from '../../common/clock';
import { enrollmentContentOverdueSql } from '../content/overdue';
import { recordEnrollmentMoves } from './enrollment-history';
import { giveLatestBrief } from '../content/brief.service';

const S = EnrollmentStatus;

/**
 * A creator's path through a campaign: invited, accepts (or declines), gets a sample, makes
 * content that is reviewed, posts. Removal is possible from any open state; DECLINED and
 * REMOVED are final.
 */
export const ENROLLMENT_MOVES: Transitions<EnrollmentStatus> = {
  [S.INVITED]: [S.ACCEPTED, S.DECLINED, S.REMOVED],
  [S.ACCEPTED]: [S.SAMPLE_SHIPPED, S.CONTENT_IN_REVIEW, S.REMOVED],
  // A creator may film before the carrier confirms delivery: submitting content moves it on.
  [S.SAMPLE_SHIPPED]: [S.SAMPLE_DELIVERED, S.CONTENT_IN_REVIEW, S.REMOVED],
  [S.SAMPLE_DELIVERED]: [S.CONTENT_IN_REVIEW, S.REMOVED],
  [S.CONTENT_IN_REVIEW]: [S.POSTED, S.REMOVED],
  [S.POSTED]: [S.REMOVED],
  [S.DECLINED]: [],
  [S.REMOVED]: [],
};

/** DECLINED and REMOVED enrollments are a record of what happened: their terms no longer change. */
const FINAL_ENROLLMENT_STATES: readonly EnrollmentStatus[] = [S.DECLINED, S.REMOVED];

/** The terms an enrollment is made on; enrolling again must name the same ones. */
const TERMS = ['commissionRateBps', 'contentDueDate'] as const;

export class EnrollmentService {
  private readonly campaigns = new CampaignService();

  private spec(ctx: RequestContext, statuses: EnrollmentStatus[] = [], contentOverdue: boolean | null = null, now?: Date): ListSpec<CampaignEnrollment> {
    return {
      keys: CREATED_ORDER,
      query: () => {
        const qb = scopedQuery(ctx, CampaignEnrollment, 'enrollment');
        if (statuses.length) qb.andWhere('enrollment.status IN (:...statuses)', { statuses });
        if (contentOverdue !== null) {
          const overdue = enrollmentContentOverdueSql('enrollment');
          qb.andWhere(contentOverdue ? overdue : `NOT ${overdue}`, { now: now ?? currentTime() });
        }
        return qb;
      },
    };
  }

  /**
   * A campaign's enrollments, batched across every campaign of the response that asks for the
   * same page and filter: the filter is part of the loader key, in a canonical order.
   */
  forCampaign(ctx: RequestContext, campaignId: string, page: PageArgs, filter?: EnrollmentFilter | null): Promise<Connection<CampaignEnrollment>> {
    const statuses = [...new Set(filter?.status ?? [])].sort();
    const contentOverdue = filter?.contentOverdue ?? null;
    return loadNestedConnection(
      ctx.loaders,
      'Campaign.enrollments',
      this.spec(ctx, statuses, contentOverdue),
      { column: 'campaign_id', property: 'campaignId' },
      campaignId,
      page,
      contentOverdue === null ? statuses : [statuses, contentOverdue],
    );
  }

  forCreator(ctx: RequestContext, creatorId: string, page: PageArgs): Promise<Connection<CampaignEnrollment>> {
    return loadNestedConnection(ctx.loaders, 'Creator.campaigns', this.spec(ctx), { column: 'creator_id', property: 'creatorId' }, creatorId, page);
  }

  /**
   * Invites creators to a campaign, all or none. Enrolling a creator who is already enrolled on
   * the same terms changes nothing and returns the existing enrollment, so a retried call is
   * harmless; on other terms it is a CONFLICT (the caller meant a change: updateEnrollment).
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

      const inserted = await em
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
        .returning(['id'])
        .updateEntity(false)
        .execute();
      // ON CONFLICT DO NOTHING returns only the rows it inserted: their invitation is their first move.
      const invited = (inserted.raw as Array<{ id: string }>).map((row) => ({ enrollmentId: row.id, from: null, to: S.INVITED }));
      await recordEnrollmentMoves(ctx, em, invited);
      await giveLatestBrief(ctx, em, campaignId, invited.map((m) => m.enrollmentId));
      const rows = await em.getRepository(CampaignEnrollment).find({ where: { campaignId, creatorId: In(creatorIds), agencyId: ctx.agencyId } });
      const byCreator = new Map(rows.map((r) => [r.creatorId, r]));
      const enrollments = creatorIds.map((id) => byCreator.get(id)!);
      // Rows this call inserted match their input; only earlier enrollments can differ. Throwing
      // rolls back this call's inserts too.
      this.assertSameTerms(creators, enrollments);
      return enrollments;
    });
  }

  /** CONFLICT naming every term given in the input that differs from the existing enrollment. */
  private assertSameTerms(creators: EnrollCreatorInput[], enrollments: CampaignEnrollment[]): void {
    const differences = new FieldErrorCollector();
    let count = 0;
    enrollments.forEach((enrollment, i) => {
      // A term left out of the input is not a term asked for; an explicit null is (no override, no date).
      const differing = TERMS.filter((term) => creators[i][term] !== undefined && creators[i][term] !== enrollment[term]);
      if (differing.length) count++;
      const id = toGlobalId('CampaignEnrollment', enrollment.id);
      for (const term of differing) {
        differences.add(`creators.${i}.${term}`, `already enrolled with ${term} ${enrollment[term] ?? 'null'}; change it with updateEnrollment(id: "${id}")`);
      }
    });
    if (differences.empty) return;
    const who = count === 1 ? '1 creator is' : `${count} creators are`;
    throw AppError.conflict(
      `${who} already enrolled in this campaign on other terms; enrolling again does not change them, use updateEnrollment`,
      differences.fields,
    );
  }

  /** Changes the commission override and/or the content due date; null clears either. */
  async update(ctx: RequestContext, globalId: string, input: UpdateEnrollmentInput): Promise<CampaignEnrollment> {
    const id = decodeId('CampaignEnrollment', globalId);
    return ctx.transaction(async (em) => {
      // Same lock order as setStatus: the enrollment, then its campaign.
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, id, 'id', true);
      const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
      this.campaigns.assertEditable(campaign);
      if (FINAL_ENROLLMENT_STATES.includes(enrollment.status)) {
        throw AppError.conflict(`Enrollment is ${enrollment.status}; its terms can no longer be changed`);
      }
      if (input.commissionRateBps !== undefined) enrollment.commissionRateBps = input.commissionRateBps;
      if (input.contentDueDate !== undefined) enrollment.contentDueDate = input.contentDueDate;
      return em.save(enrollment);
    });
  }

  /** Moves an enrollment along ENROLLMENT_MOVES; shipping a sample needs its tracking number. */
  async setStatus(ctx: RequestContext, globalId: string, status: EnrollmentStatus, trackingNumber?: string | null): Promise<CampaignEnrollment> {
    const id = decodeId('CampaignEnrollment', globalId);
    const tracking = trackingNumber && !isBlank(trackingNumber) ? trackingNumber.trim() : null;
    if (status === S.SAMPLE_SHIPPED && !tracking) {
      throw AppError.badField('sampleTrackingNumber', 'is required to mark a sample shipped');
    }
    return ctx.transaction(async (em) => {
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, id, 'id', true);
      const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
      this.campaigns.assertEditable(campaign);
      assertTransition('Enrollment', ENROLLMENT_MOVES, enrollment.status, status);
      await recordEnrollmentMoves(ctx, em, [{ enrollmentId: enrollment.id, from: enrollment.status, to: status }]);
      enrollment.status = status;
      if (tracking) enrollment.sampleTrackingNumber = tracking;
      return em.save(enrollment);
    });
  }
}
