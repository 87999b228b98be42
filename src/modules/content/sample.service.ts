import { findOwned, RequestContext } from '../../common/context';
import { AppError, ErrorCode } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { isBlank } from '../../common/inputs';
import { Money } from '../../common/money';
import { Connection, CREATED_ORDER, fetchConnection, PageArgs } from '../../common/pagination';
import { scopedQuery } from '../../common/tenancy';
import { assertTransition } from '../../common/transitions';
import { validateInput } from '../../common/validation';
import { CampaignService } from '../campaign/campaign.service';
import { recordEnrollmentMoves } from '../campaign/enrollment-history';
import { CampaignEnrollment, EnrollmentStatus } from '../campaign/enrollment.entity';
import { ENROLLMENT_MOVES } from '../campaign/enrollment.service';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';
import { currentTime } from '../../common/clock';
import { Sample } from './sample.entity';
import { MAX_ROI_ROWS, MAX_SAMPLES_PER_ENROLLMENT, SampleRoi, SampleRoiGrouping, ShipSampleInput } from './sample.inputs';

const E = EnrollmentStatus;
const SHIPPED_OR_LATER: readonly EnrollmentStatus[] = [E.SAMPLE_SHIPPED, E.SAMPLE_DELIVERED, E.CONTENT_IN_REVIEW, E.POSTED];

export class SampleService {
  private readonly campaigns = new CampaignService();

  /**
   * Records a sample sent for an enrollment. The first one moves an ACCEPTED enrollment to
   * SAMPLE_SHIPPED (with its tracking number); later ones leave the enrollment where it is.
   */
  async ship(ctx: RequestContext, input: ShipSampleInput): Promise<Sample> {
    const errors = await validateInput(input, 'input');
    const enrollmentId = errors.attempt(() => decodeId('CampaignEnrollment', input.enrollmentId, 'input.enrollmentId'));
    const productId = errors.attempt(() => decodeId('Product', input.productId, 'input.productId'));
    if (isBlank(input.trackingNumber)) errors.add('input.trackingNumber', 'must not be blank');
    errors.throwIfAny();
    const quantity = input.quantity ?? 1;

    return ctx.transaction(async (em) => {
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, enrollmentId!, 'input.enrollmentId', true);
      const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
      this.campaigns.assertEditable(campaign);
      const product = await scopedQuery(ctx, Product, 'product', em)
        .andWhere('product.id = :productId AND product.shopId = :shopId', { productId, shopId: campaign.shopId })
        .getOne();
      if (!product) throw new AppError(ErrorCode.NOT_FOUND, 'Product not found', { fields: { 'input.productId': ["no such product in the campaign's shop"] } });
      if (input.cost && input.cost.currency !== campaign.currency) errors.add('input.cost.currency', `must be the shop currency ${campaign.currency}`);
      if (!input.cost && product.unitCostMinor === null) errors.add('input.cost', 'is required: the product has no unit cost');
      errors.throwIfAny();
      const count = await em.count(Sample, { where: { enrollmentId: enrollment.id, agencyId: ctx.agencyId } });
      if (count >= MAX_SAMPLES_PER_ENROLLMENT) throw AppError.conflict(`An enrollment may have at most ${MAX_SAMPLES_PER_ENROLLMENT} samples`);

      const tracking = input.trackingNumber.trim();
      // Later samples (a replacement, a second product) leave the enrollment where it is.
      if (!SHIPPED_OR_LATER.includes(enrollment.status)) {
        assertTransition('Enrollment', ENROLLMENT_MOVES, enrollment.status, E.SAMPLE_SHIPPED);
        await recordEnrollmentMoves(ctx, em, [{ enrollmentId: enrollment.id, from: enrollment.status, to: E.SAMPLE_SHIPPED }]);
        await em.update(CampaignEnrollment, { id: enrollment.id }, { status: E.SAMPLE_SHIPPED, sampleTrackingNumber: tracking });
      }
      return em.save(
        em.create(Sample, {
          agencyId: ctx.agencyId,
          enrollmentId: enrollment.id,
          campaignId: enrollment.campaignId,
          creatorId: enrollment.creatorId,
          productId: product.id,
          quantity,
          costMinor: input.cost ? input.cost.amountMinor : product.unitCostMinor! * quantity,
          currency: campaign.currency,
          carrier: input.carrier && !isBlank(input.carrier) ? input.carrier.trim() : null,
          trackingNumber: tracking,
          shippedAt: input.shippedAt ?? currentTime(),
          deliveredAt: null,
        }),
      );
    });
  }

  /**
   * The sample arrived: a SAMPLE_SHIPPED enrollment moves to SAMPLE_DELIVERED, and if it has no
   * contentDueDate while its brief has a due-date rule, the rule sets one (days after delivery,
   * in the shop's time zone).
   */
  async markDelivered(ctx: RequestContext, globalId: string, deliveredAt: Date | null | undefined): Promise<Sample> {
    const id = decodeId('Sample', globalId);
    return ctx.transaction(async (em) => {
      const found = await findOwned(ctx, em, Sample, id);
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, found.enrollmentId, 'id', true);
      const sample = await findOwned(ctx, em, Sample, id, 'id', true);
      if (sample.deliveredAt) throw AppError.conflict('This sample is already marked delivered');
      sample.deliveredAt = deliveredAt ?? currentTime();
      if (enrollment.status === E.SAMPLE_SHIPPED) {
        await recordEnrollmentMoves(ctx, em, [{ enrollmentId: enrollment.id, from: enrollment.status, to: E.SAMPLE_DELIVERED }]);
        await em.update(CampaignEnrollment, { id: enrollment.id }, { status: E.SAMPLE_DELIVERED });
      }
      if (enrollment.contentDueDate === null) {
        await em.query(
          `UPDATE campaign_enrollments e SET content_due_date = CAST($3::timestamptz AT TIME ZONE s.time_zone AS date) + b.content_due_days
             FROM campaigns c, shops s, campaign_briefs b
            WHERE e.id = $1 AND e.agency_id = $2 AND c.id = e.campaign_id AND s.id = c.shop_id
              AND b.agency_id = e.agency_id AND b.campaign_id = e.campaign_id AND b.version = e.brief_version AND b.content_due_days IS NOT NULL`,
          [enrollment.id, ctx.agencyId, sample.deliveredAt],
        );
      }
      return em.save(sample);
    });
  }

  /** An enrollment's samples, for many enrollments in one statement, oldest first. */
  forEnrollment(ctx: RequestContext, enrollmentId: string): Promise<Sample[]> {
    return ctx.loaders
      .manyBy<Sample>('CampaignEnrollment.samples', async (ids) => {
        const rows = await scopedQuery(ctx, Sample, 'sample').andWhere('sample.enrollmentId IN (:...ids)', { ids }).orderBy('sample.createdAt', 'ASC').addOrderBy('sample.id', 'ASC').getMany();
        const grouped = new Map<string, Sample[]>();
        for (const row of rows) grouped.set(row.enrollmentId, [...(grouped.get(row.enrollmentId) ?? []), row]);
        return grouped;
      })
      .load(enrollmentId);
  }

  /** Samples shipped more than `days` days ago whose enrollment has had no content submitted since. */
  awaitingContent(ctx: RequestContext, page: PageArgs, days: number, campaignGlobalId?: string | null): Promise<Connection<Sample>> {
    if (!Number.isInteger(days) || days < 0 || days > 3650) throw AppError.badField('shippedDaysAgo', 'must be a whole number of days from 0 to 3650');
    const campaignId = campaignGlobalId ? decodeId('Campaign', campaignGlobalId, 'campaignId') : undefined;
    const before = new Date(currentTime().getTime() - days * 86_400_000);
    return fetchConnection(
      {
        keys: CREATED_ORDER,
        query: () => {
          const qb = scopedQuery(ctx, Sample, 'sample')
            .andWhere('sample.shippedAt < :before', { before })
            .andWhere('NOT EXISTS (SELECT 1 FROM content ct WHERE ct.enrollment_id = sample.enrollment_id AND ct.submitted_at IS NOT NULL)');
          if (campaignId) qb.andWhere('sample.campaignId = :campaignId', { campaignId });
          return qb;
        },
      },
      page,
    );
  }

  /**
   * Sample cost against attributed GMV in one shop, per creator (rollup dimension 'R') or per
   * campaign ('C'), all time; subjects with samples only, largest sample cost first.
   */
  async roi(ctx: RequestContext, shopGlobalId: string, grouping: SampleRoiGrouping): Promise<SampleRoi[]> {
    const shopId = decodeId('Shop', shopGlobalId, 'shopId');
    const shop = await ctx.loaders.byId(Shop).load(shopId);
    if (!shop) throw AppError.notFound('Shop', 'shopId');
    const byCreator = grouping === SampleRoiGrouping.CREATOR;
    const subject = byCreator ? 'sample.creator_id' : 'sample.campaign_id';
    const dimension = byCreator ? 'R' : 'C';
    const qb = scopedQuery(ctx, Sample, 'sample')
      .innerJoin('campaigns', 'cp', 'cp.id = sample.campaign_id AND cp.shop_id = :shopId', { shopId })
      .select(subject, 'subject')
      .addSelect('SUM(sample.quantity)', 'units')
      .addSelect('SUM(sample.cost_minor)', 'cost')
      .addSelect(
        `(SELECT COALESCE(SUM(r.gmv_minor), 0) FROM metric_rollups r WHERE r.agency_id = :__agencyId AND r.shop_id = :shopId AND r.dimension = '${dimension}' AND r.subject_id = CAST(${subject} AS varchar))`,
        'gmv',
      )
      .groupBy(subject)
      .orderBy('SUM(sample.cost_minor)', 'DESC')
      .addOrderBy(subject, 'ASC')
      .limit(MAX_ROI_ROWS);
    const rows: Array<{ subject: string; units: string; cost: string; gmv: string }> = await qb.getRawMany();
    return rows.map((r) => {
      const cost = Number(r.cost);
      const gmv = Number(r.gmv);
      const row = new SampleRoi();
      row.campaignId = byCreator ? null : r.subject;
      row.creatorId = byCreator ? r.subject : null;
      row.units = Number(r.units);
      row.sampleCost = new Money(cost, shop.currency);
      row.attributedGmv = new Money(gmv, shop.currency);
      row.gmvPerSampleCost = cost === 0 ? null : gmv / cost;
      return row;
    });
  }
}
