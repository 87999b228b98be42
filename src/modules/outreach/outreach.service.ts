import { In } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { isBlank } from '../../common/inputs';
import { Connection, CREATED_ORDER, fetchConnection, loadNestedConnection, PageArgs } from '../../common/pagination';
import { scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';
import { CampaignService } from '../campaign/campaign.service';
import { recordEnrollmentMoves } from '../campaign/enrollment-history';
import { CampaignEnrollment, EnrollmentStatus } from '../campaign/enrollment.entity';
import { giveLatestBrief } from '../content/brief.service';
import { currentTime } from '../../common/clock';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { CampaignProduct } from '../campaign/campaign-product.entity';
import { CreatorNote, OutreachMessage, OutreachTemplate } from './outreach.entities';
import { InviteCreatorsResult, MAX_INVITES, MAX_NOTES_PER_CREATOR, MAX_TAGS, OutreachReplyInput, OutreachTemplateInput } from './outreach.inputs';
import { formatRate, renderTemplate, templateProblem } from './templates';

const optional = (v: string | null | undefined) => (v && !isBlank(v) ? v.trim() : null);

export class OutreachService {
  private readonly campaigns = new CampaignService();

  templates(ctx: RequestContext, page: PageArgs): Promise<Connection<OutreachTemplate>> {
    return fetchConnection({ keys: CREATED_ORDER, query: () => scopedQuery(ctx, OutreachTemplate, 'template') }, page);
  }

  /** Creates (no id) or replaces a template; unknown variables are BAD_USER_INPUT here, not at send. */
  async saveTemplate(ctx: RequestContext, globalId: string | null, input: OutreachTemplateInput): Promise<OutreachTemplate> {
    const errors = await validateInput(input, 'input');
    const id = globalId ? errors.attempt(() => decodeId('OutreachTemplate', globalId, 'id')) : undefined;
    for (const field of ['subject', 'body'] as const) {
      const text = input[field];
      const problem = text ? templateProblem(text) : null;
      if (problem) errors.add(`input.${field}`, problem);
    }
    errors.throwIfAny();
    return ctx.transaction(async (em) => {
      const template = id ? await findOwned(ctx, em, OutreachTemplate, id, 'id', true) : em.create(OutreachTemplate, { agencyId: ctx.agencyId });
      template.name = input.name.trim();
      template.channel = input.channel;
      template.subject = optional(input.subject);
      template.body = input.body.trim();
      return em.save(template);
    });
  }

  /**
   * Invites up to 500 creators to a campaign with a template, all or nothing: every creator must
   * exist. Creators already enrolled are reported and left alone; each newly invited one gets one
   * outreach message, rendered for them.
   */
  async invite(ctx: RequestContext, campaignGlobalId: string, creatorGlobalIds: string[], templateGlobalId: string): Promise<InviteCreatorsResult> {
    const errors = new FieldErrorCollector();
    const campaignId = errors.attempt(() => decodeId('Campaign', campaignGlobalId, 'campaignId'));
    const templateId = errors.attempt(() => decodeId('OutreachTemplate', templateGlobalId, 'templateId'));
    if (creatorGlobalIds.length > MAX_INVITES) errors.add('creatorIds', `at most ${MAX_INVITES} creators per call`);
    const decoded = creatorGlobalIds.slice(0, MAX_INVITES).map((id, i) => errors.attempt(() => decodeId('Creator', id, `creatorIds.${i}`)));
    decoded.forEach((id, i) => {
      const first = decoded.indexOf(id);
      if (id && first !== i) errors.add(`creatorIds.${i}`, `duplicates creatorIds.${first}`);
    });
    errors.throwIfAny();
    const creatorIds = decoded as string[];

    return ctx.transaction(async (em) => {
      const campaign = await this.campaigns.getForUpdate(ctx, em, campaignId!, 'campaignId');
      this.campaigns.assertEditable(campaign);
      const template = await findOwned(ctx, em, OutreachTemplate, templateId!, 'templateId');
      const creators = creatorIds.length ? await em.getRepository(Creator).find({ where: { id: In(creatorIds), agencyId: ctx.agencyId } }) : [];
      const byId = new Map(creators.map((c) => [c.id, c]));
      const missing = new FieldErrorCollector();
      creatorIds.forEach((id, i) => byId.has(id) || missing.add(`creatorIds.${i}`, 'no such creator'));
      if (!missing.empty) throw new AppError(ErrorCode.NOT_FOUND, 'Creator not found', { fields: missing.fields });
      if (creatorIds.length === 0) return { invited: [], alreadyEnrolled: [], messages: [] };

      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(CampaignEnrollment)
        .values(creatorIds.map((creatorId) => ({ agencyId: ctx.agencyId, campaignId: campaign.id, creatorId, status: EnrollmentStatus.INVITED })))
        .orIgnore()
        .returning(['id'])
        .updateEntity(false)
        .execute();
      const newIds = new Set((inserted.raw as Array<{ id: string }>).map((r) => r.id));
      await recordEnrollmentMoves(ctx, em, [...newIds].map((enrollmentId) => ({ enrollmentId, from: null, to: EnrollmentStatus.INVITED })));
      await giveLatestBrief(ctx, em, campaign.id, [...newIds]);
      const rows = await em.getRepository(CampaignEnrollment).find({ where: { campaignId: campaign.id, creatorId: In(creatorIds), agencyId: ctx.agencyId } });
      const enrollmentOf = new Map(rows.map((r) => [r.creatorId, r]));
      const ordered = creatorIds.map((id) => enrollmentOf.get(id)!);
      const invited = ordered.filter((e) => newIds.has(e.id));

      // The campaign's first product names {{product.title}}.
      const product = await em
        .getRepository(Product)
        .createQueryBuilder('product')
        .innerJoin(CampaignProduct, 'cp', 'cp.productId = product.id AND cp.campaignId = :campaignId', { campaignId: campaign.id })
        .orderBy('product.createdAt', 'ASC')
        .addOrderBy('product.id', 'ASC')
        .getOne();
      const sentAt = currentTime();
      const messages = invited.map((enrollment) => {
        const creator = byId.get(enrollment.creatorId)!;
        const values = {
          'creator.handle': `@${creator.handle}`,
          'creator.displayName': creator.displayName ?? `@${creator.handle}`,
          'campaign.name': campaign.name,
          'product.title': product?.title ?? '',
          commissionRate: formatRate(enrollment.commissionRateBps ?? campaign.commissionRateBps),
          contentDueDate: enrollment.contentDueDate ?? '',
        };
        return em.create(OutreachMessage, {
          agencyId: ctx.agencyId,
          creatorId: creator.id,
          campaignId: campaign.id,
          enrollmentId: enrollment.id,
          templateId: template.id,
          channel: template.channel,
          subject: template.subject ? renderTemplate(template.subject, values) : null,
          message: renderTemplate(template.body, values),
          sentAt,
          sentById: ctx.viewer?.memberId ?? null,
          repliedAt: null,
          replyNote: null,
        });
      });
      const saved = messages.length ? await em.save(messages) : [];
      return { invited, alreadyEnrolled: ordered.filter((e) => !newIds.has(e.id)), messages: saved };
    });
  }

  async recordReply(ctx: RequestContext, globalId: string, input: OutreachReplyInput): Promise<OutreachMessage> {
    const id = decodeId('OutreachMessage', globalId);
    return ctx.transaction(async (em) => {
      const message = await findOwned(ctx, em, OutreachMessage, id, 'id', true);
      message.replyStatus = input.status;
      message.replyNote = optional(input.note);
      message.repliedAt = input.repliedAt ?? currentTime();
      return em.save(message);
    });
  }

  /** Creator.outreach: one statement for every creator of the response, oldest first. */
  forCreator(ctx: RequestContext, creatorId: string, page: PageArgs): Promise<Connection<OutreachMessage>> {
    return loadNestedConnection(
      ctx.loaders,
      'Creator.outreach',
      { keys: CREATED_ORDER, query: () => scopedQuery(ctx, OutreachMessage, 'message') },
      { column: 'creator_id', property: 'creatorId' },
      creatorId,
      page,
    );
  }

  async addNote(ctx: RequestContext, creatorGlobalId: string, body: string): Promise<CreatorNote> {
    const creatorId = decodeId('Creator', creatorGlobalId, 'creatorId');
    if (isBlank(body)) throw AppError.badField('body', 'must not be blank');
    return ctx.transaction(async (em) => {
      await findOwned(ctx, em, Creator, creatorId, 'creatorId', true);
      const count = await em.count(CreatorNote, { where: { creatorId, agencyId: ctx.agencyId } });
      if (count >= MAX_NOTES_PER_CREATOR) throw AppError.conflict(`A creator may have at most ${MAX_NOTES_PER_CREATOR} notes`);
      return em.save(em.create(CreatorNote, { agencyId: ctx.agencyId, creatorId, authorId: ctx.viewer?.memberId ?? null, body: body.trim() }));
    });
  }

  notes(ctx: RequestContext, creatorId: string): Promise<CreatorNote[]> {
    return ctx.loaders
      .manyBy<CreatorNote>('Creator.notes', async (ids) => {
        const rows = await scopedQuery(ctx, CreatorNote, 'note').andWhere('note.creatorId IN (:...ids)', { ids }).orderBy('note.createdAt', 'ASC').addOrderBy('note.id', 'ASC').getMany();
        const grouped = new Map<string, CreatorNote[]>();
        for (const row of rows) grouped.set(row.creatorId, [...(grouped.get(row.creatorId) ?? []), row]);
        return grouped;
      })
      .load(creatorId);
  }

  /** Replaces a creator's tags (lower-cased, de-duplicated). */
  async setTags(ctx: RequestContext, creatorGlobalId: string, tags: string[]): Promise<Creator> {
    const creatorId = decodeId('Creator', creatorGlobalId, 'creatorId');
    if (tags.length > MAX_TAGS) throw AppError.badField('tags', `at most ${MAX_TAGS} tags`);
    const clean = [...new Set(tags.filter((t) => !isBlank(t)).map((t) => t.trim().toLowerCase()))];
    return ctx.transaction(async (em) => {
      const creator = await findOwned(ctx, em, Creator, creatorId, 'creatorId', true);
      creator.tags = clean;
      return em.save(creator);
    });
  }
}
