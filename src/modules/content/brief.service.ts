import { EntityManager, In } from 'typeorm';
import { RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { isBlank } from '../../common/inputs';
import { scopedQuery } from '../../common/tenancy';
import { CampaignService } from '../campaign/campaign.service';
import { CampaignEnrollment, EnrollmentStatus } from '../campaign/enrollment.entity';
import { CampaignBrief } from './brief.entity';
import { PublishBriefInput } from './brief.inputs';
import { Content } from './content.entity';
import { QaExpectations, useBriefExpectations } from './qa-checks';

/** Versions a campaign's brief may have. */
export const MAX_BRIEF_VERSIONS = 100;

/** Enrollments still working on the campaign: a new version may be given to them. */
const OPEN: EnrollmentStatus[] = [
  EnrollmentStatus.INVITED,
  EnrollmentStatus.ACCEPTED,
  EnrollmentStatus.SAMPLE_SHIPPED,
  EnrollmentStatus.SAMPLE_DELIVERED,
  EnrollmentStatus.CONTENT_IN_REVIEW,
];

const cleanList = (items: string[] | null | undefined) => [...new Set((items ?? []).filter((i) => !isBlank(i)).map((i) => i.trim()))];
const hashtag = (tag: string) => (tag.startsWith('#') ? tag : `#${tag}`).toLowerCase();

export class BriefService {
  private readonly campaigns = new CampaignService();

  /** Publishes the next version; enrollments without a brief (and, if asked, every open one) are given it. */
  async publish(ctx: RequestContext, campaignGlobalId: string, input: PublishBriefInput): Promise<CampaignBrief> {
    const campaignId = decodeId('Campaign', campaignGlobalId, 'campaignId');
    return ctx.transaction(async (em) => {
      const campaign = await this.campaigns.getForUpdate(ctx, em, campaignId, 'campaignId');
      this.campaigns.assertEditable(campaign);
      const [{ latest }] = (await em.query('SELECT COALESCE(MAX(version), 0) AS latest FROM campaign_briefs WHERE agency_id = $1 AND campaign_id = $2', [
        ctx.agencyId,
        campaignId,
      ])) as Array<{ latest: number }>;
      if (latest >= MAX_BRIEF_VERSIONS) throw AppError.conflict(`The brief has ${MAX_BRIEF_VERSIONS} versions, the most it may have`);
      const brief = await em.save(
        em.create(CampaignBrief, {
          agencyId: ctx.agencyId,
          campaignId,
          version: latest + 1,
          keyMessages: cleanList(input.keyMessages),
          dos: cleanList(input.dos),
          donts: cleanList(input.donts),
          requiredHashtags: [...new Set(cleanList(input.requiredHashtags).map(hashtag))],
          disclosure: input.disclosure && !isBlank(input.disclosure) ? input.disclosure.trim() : '#ad',
          productLinks: [...new Set((input.productLinks ?? []).map(String))],
          contentDueDays: input.contentDueDays ?? null,
          createdById: ctx.viewer?.memberId ?? null,
        }),
      );
      const qb = em
        .createQueryBuilder()
        .update(CampaignEnrollment)
        .set({ briefVersion: brief.version })
        .where('agency_id = :agencyId AND campaign_id = :campaignId', { agencyId: ctx.agencyId, campaignId });
      if (input.giveToOpenEnrollments) qb.andWhere('(brief_version IS NULL OR status IN (:...open))', { open: OPEN });
      else qb.andWhere('brief_version IS NULL');
      await qb.execute();
      return brief;
    });
  }

  /** Every version of many campaigns' briefs in one statement, oldest first. */
  versions(ctx: RequestContext, campaignId: string): Promise<CampaignBrief[]> {
    return ctx.loaders
      .manyBy<CampaignBrief>('Campaign.briefs', async (ids) => {
        const rows = await scopedQuery(ctx, CampaignBrief, 'brief').andWhere('brief.campaignId IN (:...ids)', { ids }).orderBy('brief.version', 'ASC').getMany();
        const grouped = new Map<string, CampaignBrief[]>();
        for (const row of rows) grouped.set(row.campaignId, [...(grouped.get(row.campaignId) ?? []), row]);
        return grouped;
      })
      .load(campaignId);
  }

  async latest(ctx: RequestContext, campaignId: string): Promise<CampaignBrief | null> {
    const all = await this.versions(ctx, campaignId);
    return all[all.length - 1] ?? null;
  }

  /** The version an enrollment was given (through the campaign's versions loader). */
  async given(ctx: RequestContext, enrollment: CampaignEnrollment): Promise<CampaignBrief | null> {
    if (enrollment.briefVersion === null) return null;
    return (await this.versions(ctx, enrollment.campaignId)).find((b) => b.version === enrollment.briefVersion) ?? null;
  }
}

/** New enrollments are given the campaign's latest brief version (inside enrollCreators' transaction). */
export async function giveLatestBrief(ctx: RequestContext, em: EntityManager, campaignId: string, enrollmentIds: string[]): Promise<void> {
  if (enrollmentIds.length === 0) return;
  await em
    .createQueryBuilder()
    .update(CampaignEnrollment)
    .set({ briefVersion: () => `(SELECT MAX(b.version) FROM campaign_briefs b WHERE b.agency_id = :agencyId AND b.campaign_id = :campaignId)` })
    .where({ id: In(enrollmentIds), agencyId: ctx.agencyId })
    .setParameters({ agencyId: ctx.agencyId, campaignId })
    .execute();
}

/** What the QA checks expect of a piece of content: its enrollment's brief version. */
useBriefExpectations(async (ctx, em, content: Content): Promise<QaExpectations | null> => {
  const rows = (await em.query(
    `SELECT b.disclosure, b.required_hashtags, b.product_links FROM campaign_enrollments e
       JOIN campaign_briefs b ON b.agency_id = e.agency_id AND b.campaign_id = e.campaign_id AND b.version = e.brief_version
      WHERE e.id = $1 AND e.agency_id = $2`,
    [content.enrollmentId, ctx.agencyId],
  )) as Array<{ disclosure: string; required_hashtags: string[]; product_links: string[] }>;
  const [row] = rows;
  return row ? { disclosure: row.disclosure, hashtags: row.required_hashtags, productLinks: row.product_links } : null;
});
