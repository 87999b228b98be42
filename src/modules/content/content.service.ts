import { DataSource, EntityManager } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decodeId, toGlobalId } from '../../common/global-id';
import { isBlank } from '../../common/inputs';
import { Money } from '../../common/money';
import { Connection, CREATED_ORDER, fetchConnection, ListSpec, loadNestedConnection, PageArgs } from '../../common/pagination';
import { isUniqueViolation } from '../../common/sql';
import { scopedQuery } from '../../common/tenancy';
import { assertTransition, Transitions } from '../../common/transitions';
import { validateInput } from '../../common/validation';
import { actAsAgency } from '../../db/tenant-setting';
import { CampaignService } from '../campaign/campaign.service';
import { recordEnrollmentMoves } from '../campaign/enrollment-history';
import { CampaignEnrollment, EnrollmentStatus } from '../campaign/enrollment.entity';
import { ENROLLMENT_MOVES } from '../campaign/enrollment.service';
import { Product } from '../product/product.entity';
import { currentTime } from '../../common/clock';
import { loadAgencySettings } from '../agency/agency-settings';
import { ContentEvent, emitContentEvent } from './content-events';
import { ContentReview } from './content-review.entity';
import { Content, ContentFormat, ContentStatus } from './content.entity';
import { ContentFilter, ContentOverdueCounts, ContentStats, PlanContentInput, ReviewContentInput, SubmitContentInput } from './content.inputs';
import { overduePostSql, overdueReviewSql, overdueSql, postDueSql } from './overdue';
import { runQaChecks } from './qa-checks';

const C = ContentStatus;
const E = EnrollmentStatus;

/**
 * A piece of content: submitted, reviewed (approved or sent back for changes, then resubmitted
 * as the next revision), then live. Any open state may be removed; REMOVED is final.
 */
export const CONTENT_MOVES: Transitions<ContentStatus> = {
  [C.PLANNED]: [C.SUBMITTED, C.REMOVED],
  [C.SUBMITTED]: [C.APPROVED, C.CHANGES_REQUESTED, C.REMOVED],
  [C.CHANGES_REQUESTED]: [C.SUBMITTED, C.REMOVED],
  [C.APPROVED]: [C.LIVE, C.REMOVED],
  [C.LIVE]: [C.REMOVED],
  [C.REMOVED]: [],
};

/** Revisions a piece may go through: a bound on its reviews, and on a loop that is going nowhere. */
export const MAX_REVISIONS = 20;

/** The decisions a review may take. */
const REVIEW_DECISIONS: readonly ContentStatus[] = [C.APPROVED, C.CHANGES_REQUESTED];

/** Enrollment states that submitting content moves to CONTENT_IN_REVIEW; CONTENT_IN_REVIEW and POSTED stay. */
const BEFORE_REVIEW: readonly EnrollmentStatus[] = [E.ACCEPTED, E.SAMPLE_SHIPPED, E.SAMPLE_DELIVERED];
const TAKES_CONTENT: readonly EnrollmentStatus[] = [...BEFORE_REVIEW, E.CONTENT_IN_REVIEW, E.POSTED];

/** TikTok video and LIVE ids: digits in practice; anything printable without spaces is kept as given. */
const VIDEO_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

function optionalText(value: string | null | undefined): string | null {
  return value && !isBlank(value) ? value.trim() : null;
}

export class ContentService {
  private readonly campaigns = new CampaignService();

  spec(ctx: RequestContext, filter: ContentFilter | null | undefined, path = 'filter'): ListSpec<Content> {
    const creatorId = filter?.creatorId ? decodeId('Creator', filter.creatorId, `${path}.creatorId`) : undefined;
    const campaignId = filter?.campaignId ? decodeId('Campaign', filter.campaignId, `${path}.campaignId`) : undefined;
    const now = currentTime();
    return {
      keys: CREATED_ORDER,
      query: () => {
        const qb = scopedQuery(ctx, Content, 'content');
        if (filter?.status?.length) qb.andWhere('content.status IN (:...statuses)', { statuses: filter.status });
        if (creatorId) qb.andWhere('content.creatorId = :creatorId', { creatorId });
        if (campaignId) qb.andWhere('content.campaignId = :campaignId', { campaignId });
        if (filter?.overdue === true) qb.andWhere(overdueSql('content'), { now });
        if (filter?.overdue === false) qb.andWhere(`NOT ${overdueSql('content')}`, { now });
        return qb;
      },
    };
  }

  list(ctx: RequestContext, page: PageArgs, filter?: ContentFilter | null): Promise<Connection<Content>> {
    return fetchConnection(this.spec(ctx, filter), page);
  }

  find(ctx: RequestContext, globalId: string): Promise<Content | null> {
    return ctx.loaders.byId(Content).load(decodeId('Content', globalId));
  }

  /** Campaign.content / Creator.content: one statement for every parent of the response. */
  forParent(ctx: RequestContext, parent: 'campaign' | 'creator', parentId: string, page: PageArgs, filter?: ContentFilter | null): Promise<Connection<Content>> {
    const column = parent === 'campaign' ? { column: 'campaign_id', property: 'campaignId' } : { column: 'creator_id', property: 'creatorId' };
    const key = filter ? { ...filter, status: filter.status ? [...new Set(filter.status)].sort() : filter.status } : null;
    return loadNestedConnection(ctx.loaders, `${parent}.content`, this.spec(ctx, filter), column, parentId, page, key);
  }

  /** Every review of many pieces of content in one statement, oldest first. */
  reviews(ctx: RequestContext, contentId: string): Promise<ContentReview[]> {
    return ctx.loaders
      .manyBy<ContentReview>('Content.reviews', async (ids) => {
        const rows = await scopedQuery(ctx, ContentReview, 'review')
          .andWhere('review.contentId IN (:...ids)', { ids })
          .orderBy('review.createdAt', 'ASC')
          .addOrderBy('review.revision', 'ASC')
          .addOrderBy('review.id', 'ASC')
          .getMany();
        const grouped = new Map<string, ContentReview[]>();
        for (const row of rows) {
          const list = grouped.get(row.contentId);
          if (list) list.push(row);
          else grouped.set(row.contentId, [row]);
        }
        return grouped;
      })
      .load(contentId);
  }

  /**
   * The video's numbers summed over every day of the ledger's 'V' rollups (shop, video id); zeros,
   * in the shop's currency, until it has any. One statement for all the content of a response.
   */
  stats(ctx: RequestContext, content: Content): Promise<ContentStats> {
    return ctx.loaders
      .get<string, ContentStats>('Content.stats', async (keys) => {
        const pairs = keys.map((k) => JSON.parse(k) as [string, string | null]);
        const rows: Array<Record<string, string>> = await ctx.em.query(
          `SELECT k.shop_id, k.video_id, s.currency,
                  COALESCE(SUM(r.views), 0) AS views, COALESCE(SUM(r.likes), 0) AS likes, COALESCE(SUM(r.comments), 0) AS comments,
                  COALESCE(SUM(r.shares), 0) AS shares, COALESCE(SUM(r.clicks), 0) AS clicks, COALESCE(SUM(r.orders), 0) AS orders,
                  COALESCE(SUM(r.gmv_minor), 0) AS gmv_minor
             FROM unnest($2::uuid[], $3::text[]) AS k(shop_id, video_id)
             JOIN shops s ON s.id = k.shop_id AND s.agency_id = $1
             LEFT JOIN metric_rollups r ON r.agency_id = $1 AND r.shop_id = k.shop_id AND r.dimension = 'V' AND r.subject_id = k.video_id
            GROUP BY k.shop_id, k.video_id, s.currency`,
          [ctx.agencyId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
        );
        const byKey = new Map(rows.map((r) => [JSON.stringify([r.shop_id, r.video_id]), r]));
        return keys.map((key) => {
          const r = byKey.get(key);
          const n = (v: string | undefined) => Number(v ?? 0);
          return {
            views: n(r?.views),
            likes: n(r?.likes),
            comments: n(r?.comments),
            shares: n(r?.shares),
            clicks: n(r?.clicks),
            orders: n(r?.orders),
            gmv: new Money(n(r?.gmv_minor), r?.currency ?? 'USD'),
          };
        });
      })
      .load(JSON.stringify([content.shopId, content.videoId]));
  }

  /** When the piece must be live (see overdue.ts), for many pieces in one statement. */
  postDueAt(ctx: RequestContext, content: Content): Promise<Date | null> {
    return ctx.loaders
      .get<string, Date | null>('Content.postDueAt', async (ids) => {
        const qb = scopedQuery(ctx, Content, 'content');
        const rows: Array<{ id: string; due: Date | null }> = await qb
          .select('content.id', 'id')
          .addSelect(postDueSql('content'), 'due')
          .andWhere('content.id IN (:...ids)', { ids })
          .getRawMany();
        const byId = new Map(rows.map((r) => [r.id, r.due]));
        return ids.map((id) => byId.get(id) ?? null);
      })
      .load(content.id);
  }

  /** Campaign.contentOverdue: overdue reviews and posts per campaign, one GROUP BY for all campaigns. */
  overdueCounts(ctx: RequestContext, campaignId: string): Promise<ContentOverdueCounts> {
    return ctx.loaders
      .get<string, ContentOverdueCounts>('Campaign.contentOverdue', async (ids) => {
        const rows: Array<{ campaign_id: string; reviews: string; posts: string }> = await scopedQuery(ctx, Content, 'content')
          .select('content.campaign_id', 'campaign_id')
          .addSelect(`COUNT(*) FILTER (WHERE ${overdueReviewSql('content')})`, 'reviews')
          .addSelect(`COUNT(*) FILTER (WHERE ${overduePostSql('content')})`, 'posts')
          .andWhere('content.campaignId IN (:...ids)', { ids, now: currentTime() })
          .groupBy('content.campaign_id')
          .getRawMany();
        const byId = new Map(rows.map((r) => [r.campaign_id, { reviews: Number(r.reviews), posts: Number(r.posts) }]));
        return ids.map((id) => byId.get(id) ?? { reviews: 0, posts: 0 });
      })
      .load(campaignId);
  }

  /**
   * Submits content for review: a new piece, or (with contentId) the next revision of one that had
   * CHANGES_REQUESTED. The enrollment must be ACCEPTED or later; ACCEPTED and SAMPLE_* move to
   * CONTENT_IN_REVIEW. The review is due after the agency's SLA (settings.contentReviewSlaHours).
   */
  async submit(ctx: RequestContext, input: SubmitContentInput): Promise<Content> {
    const errors = await validateInput(input, 'input');
    const enrollmentId = errors.attempt(() => decodeId('CampaignEnrollment', input.enrollmentId, 'input.enrollmentId'));
    const contentId = input.contentId ? errors.attempt(() => decodeId('Content', input.contentId!, 'input.contentId')) : undefined;
    const productId = input.productId ? errors.attempt(() => decodeId('Product', input.productId!, 'input.productId')) : undefined;
    errors.throwIfAny();
    const now = currentTime();

    return ctx.transaction(async (em) => {
      // Lock order everywhere: enrollment, campaign, content.
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, enrollmentId!, 'input.enrollmentId', true);
      const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
      this.campaigns.assertEditable(campaign);
      if (!TAKES_CONTENT.includes(enrollment.status)) {
        assertTransition('Enrollment', ENROLLMENT_MOVES, enrollment.status, E.CONTENT_IN_REVIEW);
      }
      if (productId) await this.assertShopProduct(ctx, em, productId, campaign.shopId);

      let content: Content;
      if (contentId) {
        content = await findOwned(ctx, em, Content, contentId, 'input.contentId', true);
        if (content.enrollmentId !== enrollment.id) {
          throw AppError.badField('input.contentId', 'belongs to another enrollment; pass the enrollmentId it was submitted for');
        }
        assertTransition('Content', CONTENT_MOVES, content.status, C.SUBMITTED);
        if (content.status === C.CHANGES_REQUESTED) {
          if (content.revision >= MAX_REVISIONS) {
            throw AppError.conflict(`Content has had ${MAX_REVISIONS} revisions, the most it may have; remove it and submit a new piece`);
          }
          content.revision += 1;
        }
      } else {
        content = em.create(Content, {
          agencyId: ctx.agencyId,
          shopId: campaign.shopId,
          campaignId: campaign.id,
          enrollmentId: enrollment.id,
          creatorId: enrollment.creatorId,
          productId: null,
          // A piece keeps its format: the input's format (default VIDEO) only shapes new pieces.
          format: input.format ?? ContentFormat.VIDEO,
          revision: 1,
          caption: null,
          url: null,
          dueAt: null,
          videoId: null,
          postedAt: null,
          postOverdueNotifiedAt: null,
        });
      }
      if (productId) content.productId = productId;
      if (input.caption !== undefined) content.caption = optionalText(input.caption);
      if (input.url !== undefined) content.url = input.url === null ? null : String(input.url);
      if (input.dueAt !== undefined && input.dueAt?.getTime() !== content.dueAt?.getTime()) {
        content.dueAt = input.dueAt;
        content.postOverdueNotifiedAt = null;
      }
      const sla = await this.reviewSlaHours(em, ctx.agencyId);
      content.status = C.SUBMITTED;
      content.submittedAt = now;
      content.reviewDueAt = new Date(now.getTime() + sla * 3_600_000);
      content.reviewOverdueNotifiedAt = null;
      const saved = await em.save(content);

      if (BEFORE_REVIEW.includes(enrollment.status)) {
        await recordEnrollmentMoves(ctx, em, [{ enrollmentId: enrollment.id, from: enrollment.status, to: E.CONTENT_IN_REVIEW }]);
        await em.update(CampaignEnrollment, { id: enrollment.id }, { status: E.CONTENT_IN_REVIEW });
      }
      return saved;
    });
  }

  /** PLANNED content for an ACCEPTED-or-later enrollment: expected, with a due time; submitted later with its contentId. */
  async plan(ctx: RequestContext, input: PlanContentInput): Promise<Content> {
    const errors = await validateInput(input, 'input');
    const enrollmentId = errors.attempt(() => decodeId('CampaignEnrollment', input.enrollmentId, 'input.enrollmentId'));
    const productId = input.productId ? errors.attempt(() => decodeId('Product', input.productId!, 'input.productId')) : undefined;
    errors.throwIfAny();
    return ctx.transaction(async (em) => {
      const enrollment = await findOwned(ctx, em, CampaignEnrollment, enrollmentId!, 'input.enrollmentId', true);
      const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
      this.campaigns.assertEditable(campaign);
      if (!TAKES_CONTENT.includes(enrollment.status)) assertTransition('Enrollment', ENROLLMENT_MOVES, enrollment.status, E.CONTENT_IN_REVIEW);
      if (productId) await this.assertShopProduct(ctx, em, productId, campaign.shopId);
      return em.save(
        em.create(Content, {
          agencyId: ctx.agencyId,
          shopId: campaign.shopId,
          campaignId: campaign.id,
          enrollmentId: enrollment.id,
          creatorId: enrollment.creatorId,
          productId: productId ?? null,
          format: input.format ?? ContentFormat.VIDEO,
          status: C.PLANNED,
          revision: 1,
          dueAt: input.dueAt ?? null,
        }),
      );
    });
  }

  private async assertShopProduct(ctx: RequestContext, em: EntityManager, productId: string, shopId: string): Promise<void> {
    const product = await scopedQuery(ctx, Product, 'product', em).andWhere('product.id = :productId AND product.shopId = :shopId', { productId, shopId }).getOne();
    if (!product) throw new AppError(ErrorCode.NOT_FOUND, 'Product not found', { fields: { 'input.productId': ["no such product in the campaign's shop"] } });
  }

  /** APPROVED or CHANGES_REQUESTED by the caller, with notes and the QA checks of this revision. */
  async review(ctx: RequestContext, input: ReviewContentInput): Promise<Content> {
    const errors = await validateInput(input, 'input');
    const contentId = errors.attempt(() => decodeId('Content', input.contentId, 'input.contentId'));
    if (!REVIEW_DECISIONS.includes(input.decision)) errors.add('input.decision', `must be ${REVIEW_DECISIONS.join(' or ')}`);
    errors.throwIfAny();

    return ctx.transaction(async (em) => {
      const content = await findOwned(ctx, em, Content, contentId!, 'input.contentId', true);
      assertTransition('Content', CONTENT_MOVES, content.status, input.decision);
      const checks = await runQaChecks(ctx, em, content);
      await em.insert(ContentReview, {
        agencyId: ctx.agencyId,
        contentId: content.id,
        revision: content.revision,
        decision: input.decision,
        notes: optionalText(input.notes),
        internalNotes: optionalText(input.internalNotes),
        reviewerId: ctx.viewer?.memberId ?? null,
        checks,
      });
      content.status = input.decision;
      return em.save(content);
    });
  }

  /**
   * APPROVED content goes live with its TikTok video id (unique per shop: the sales ledger
   * attributes orders by it) and URL; its enrollment moves to POSTED. Raises CONTENT_LIVE.
   */
  async markLive(ctx: RequestContext, globalId: string, videoIdInput: string, url: unknown, postedAt: Date | null | undefined): Promise<Content> {
    const id = decodeId('Content', globalId);
    const videoId = videoIdInput.trim();
    if (!VIDEO_ID.test(videoId)) throw AppError.badField('videoId', 'must be the TikTok video id: letters, digits, or _ . : - (at most 100)');
    const now = currentTime();
    try {
      return await ctx.transaction(async (em) => {
        const found = await findOwned(ctx, em, Content, id);
        const enrollment = await findOwned(ctx, em, CampaignEnrollment, found.enrollmentId, 'id', true);
        const campaign = await this.campaigns.getForUpdate(ctx, em, enrollment.campaignId);
        this.campaigns.assertEditable(campaign);
        const content = await findOwned(ctx, em, Content, id, 'id', true);
        assertTransition('Content', CONTENT_MOVES, content.status, C.LIVE);
        if (enrollment.status !== E.POSTED) assertTransition('Enrollment', ENROLLMENT_MOVES, enrollment.status, E.POSTED);
        const taken = await scopedQuery(ctx, Content, 'other', em)
          .andWhere('other.shopId = :shopId AND other.videoId = :videoId AND other.id <> :id', { shopId: content.shopId, videoId, id })
          .getOne();
        if (taken) throw this.videoTaken(videoId, taken.id);

        content.status = C.LIVE;
        content.videoId = videoId;
        content.url = String(url);
        content.postedAt = postedAt ?? now;
        const saved = await em.save(content);
        if (enrollment.status !== E.POSTED) {
          await recordEnrollmentMoves(ctx, em, [{ enrollmentId: enrollment.id, from: enrollment.status, to: E.POSTED }]);
          await em.update(CampaignEnrollment, { id: enrollment.id }, { status: E.POSTED });
        }
        await emitContentEvent(em, { kind: 'CONTENT_LIVE', ...this.eventSubject(content), at: saved.postedAt! });
        return saved;
      });
    } catch (err) {
      // Two pieces going live with one video at the same moment: the unique index decides.
      if (isUniqueViolation(err, 'UQ_content_agency_shop_video')) throw this.videoTaken(videoId, null);
      throw err;
    }
  }

  /** Takes content out of the workflow (any open state); its reviews stay. */
  async remove(ctx: RequestContext, globalId: string): Promise<Content> {
    const id = decodeId('Content', globalId);
    return ctx.transaction(async (em) => {
      const content = await findOwned(ctx, em, Content, id, 'id', true);
      assertTransition('Content', CONTENT_MOVES, content.status, C.REMOVED);
      content.status = C.REMOVED;
      return em.save(content);
    });
  }

  private videoTaken(videoId: string, otherId: string | null): AppError {
    const which = otherId ? ` (content ${toGlobalId('Content', otherId)})` : '';
    return AppError.conflict(`Video ${videoId} is already another piece of content's in this shop${which}`, {
      videoId: ['already used by other content of this shop'],
    });
  }

  private eventSubject(content: Content): Omit<ContentEvent, 'kind' | 'at' | 'reason'> {
    return {
      agencyId: content.agencyId,
      shopId: content.shopId,
      campaignId: content.campaignId,
      enrollmentId: content.enrollmentId,
      creatorId: content.creatorId,
      contentId: content.id,
    };
  }

  private async reviewSlaHours(em: EntityManager, agencyId: string): Promise<number> {
    return (await loadAgencySettings(em, agencyId)).contentReviewSlaHours;
  }
}

/**
 * The overdue sweep: marks and announces (CONTENT_OVERDUE) every piece of one agency that became
 * overdue since the last sweep, once per piece and reason. Safe on several API nodes at once: the
 * UPDATE ... WHERE notified_at IS NULL ... RETURNING claims each row for exactly one sweep (a
 * concurrent sweep waits for the row lock, re-checks the WHERE and skips it). Runs in one
 * transaction with the agency's tenant setting, so row-level security applies as for requests.
 */
export async function sweepOverdueContentOfAgency(db: DataSource, agencyId: string, now: Date = currentTime()): Promise<ContentEvent[]> {
  return db.transaction(async (em) => {
    await actAsAgency(em, agencyId);
    const columns = 'id, agency_id, shop_id, campaign_id, enrollment_id, creator_id';
    const claim = async (reason: 'REVIEW' | 'POST', column: string, condition: string) => {
      const [rows] = (await em.query(
        `UPDATE content AS c SET ${column} = $2 WHERE c.agency_id = $1 AND c.${column} IS NULL AND ${condition.replace(/:now/g, '$2')} RETURNING ${columns}`,
        [agencyId, now],
      )) as [Array<Record<string, string>>, number];
      return rows.map(
        (r): ContentEvent => ({
          kind: 'CONTENT_OVERDUE',
          reason,
          agencyId: r.agency_id,
          shopId: r.shop_id,
          campaignId: r.campaign_id,
          enrollmentId: r.enrollment_id,
          creatorId: r.creator_id,
          contentId: r.id,
          at: now,
        }),
      );
    };
    const events = [
      ...(await claim('REVIEW', 'review_overdue_notified_at', overdueReviewSql('c'))),
      ...(await claim('POST', 'post_overdue_notified_at', overduePostSql('c'))),
    ];
    for (const event of events) await emitContentEvent(em, event);
    return events;
  });
}

/**
 * Sweeps every agency with open content (found through app_content_sweep_agencies(), which
 * returns ids only). The alerts work schedules this (e.g. every minute, on any node). Returns the
 * events raised.
 */
export async function sweepOverdueContent(db: DataSource, now: Date = currentTime()): Promise<ContentEvent[]> {
  const agencies = (await db.query('SELECT agency_id FROM app_content_sweep_agencies()')) as Array<{ agency_id: string }>;
  const events: ContentEvent[] = [];
  for (const { agency_id } of agencies) events.push(...(await sweepOverdueContentOfAgency(db, agency_id, now)));
  return events;
}

