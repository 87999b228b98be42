import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { Connection, ForwardPageArgs, PageArgs, withCountHint } from '../../common/pagination';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { Creator } from '../creator/creator.entity';
import { Member } from '../member/member.entity';
import { CreatorNote, OutreachMessage, OutreachTemplate } from './outreach.entities';
import {
  InviteCreatorsResult,
  MAX_INVITES,
  MAX_NOTES_PER_CREATOR,
  MAX_TAGS,
  OutreachMessageConnection,
  OutreachReplyInput,
  OutreachTemplateConnection,
  OutreachTemplateInput,
} from './outreach.inputs';
import { OutreachService } from './outreach.service';

@Resolver(() => OutreachTemplate)
export class OutreachTemplateResolver extends NodeResolver(OutreachTemplate) {
  private readonly outreachService = new OutreachService();

  @Authorized(Permission.READ)
  @Query(() => OutreachTemplateConnection, { description: "The agency's outreach templates, oldest first." })
  outreachTemplates(@Args() page: PageArgs, @Info() info: GraphQLResolveInfo, @Ctx() ctx: RequestContext): Promise<Connection<OutreachTemplate>> {
    return this.outreachService.templates(ctx, withCountHint(page, info));
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => OutreachTemplate, { description: 'Creates a template, or replaces one (id). An unknown {{variable}} is BAD_USER_INPUT.' })
  saveOutreachTemplate(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('input', () => OutreachTemplateInput) input: OutreachTemplateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<OutreachTemplate> {
    return this.outreachService.saveTemplate(ctx, id, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => InviteCreatorsResult, {
    description: `Invites up to ${MAX_INVITES} creators to a campaign and sends each new one the template, rendered for them; creators already enrolled are reported, not failed.`,
  })
  inviteCreators(
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('creatorIds', () => [ID]) creatorIds: string[],
    @Arg('templateId', () => ID) templateId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<InviteCreatorsResult> {
    return this.outreachService.invite(ctx, campaignId, creatorIds, templateId);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => OutreachMessage, { description: "Records a creator's reply to an outreach message." })
  recordOutreachReply(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => OutreachReplyInput) input: OutreachReplyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<OutreachMessage> {
    return this.outreachService.recordReply(ctx, id, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => CreatorNote, { description: 'Adds a note about a creator (agency only: client viewers never see notes).' })
  addCreatorNote(
    @Arg('creatorId', () => ID) creatorId: string,
    @Arg('body', () => String) body: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CreatorNote> {
    return this.outreachService.addNote(ctx, creatorId, body);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Creator, { description: "Replaces a creator's tags (lower-cased, de-duplicated; at most 20)." })
  setCreatorTags(
    @Arg('creatorId', () => ID) creatorId: string,
    @Arg('tags', () => [String]) tags: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<Creator> {
    return this.outreachService.setTags(ctx, creatorId, tags);
  }
}

@Resolver(() => OutreachMessage)
export class OutreachMessageResolver extends NodeResolver(OutreachMessage) {
  @FieldResolver(() => Creator)
  creator(@Root() message: OutreachMessage, @Ctx() ctx: RequestContext): Promise<Creator | null> {
    return ctx.loaders.byId(Creator).load(message.creatorId);
  }

  @FieldResolver(() => Campaign, { nullable: true })
  campaign(@Root() message: OutreachMessage, @Ctx() ctx: RequestContext): Promise<Campaign | null> | null {
    return message.campaignId ? ctx.loaders.byId(Campaign).load(message.campaignId) : null;
  }

  @FieldResolver(() => CampaignEnrollment, { nullable: true })
  enrollment(@Root() message: OutreachMessage, @Ctx() ctx: RequestContext): Promise<CampaignEnrollment | null> | null {
    return message.enrollmentId ? ctx.loaders.byId(CampaignEnrollment).load(message.enrollmentId) : null;
  }

  @FieldResolver(() => OutreachTemplate, { nullable: true })
  template(@Root() message: OutreachMessage, @Ctx() ctx: RequestContext): Promise<OutreachTemplate | null> | null {
    return message.templateId ? ctx.loaders.byId(OutreachTemplate).load(message.templateId) : null;
  }

  @FieldResolver(() => Member, { nullable: true })
  sentBy(@Root() message: OutreachMessage, @Ctx() ctx: RequestContext): Promise<Member | null> | null {
    return message.sentById ? ctx.loaders.byId(Member).load(message.sentById) : null;
  }
}

@Resolver(() => CreatorNote)
export class CreatorNoteResolver {
  @FieldResolver(() => Member, { nullable: true })
  author(@Root() note: CreatorNote, @Ctx() ctx: RequestContext): Promise<Member | null> | null {
    return note.authorId ? ctx.loaders.byId(Member).load(note.authorId) : null;
  }
}

@Resolver(() => Creator)
export class CreatorOutreachResolver {
  private readonly outreachService = new OutreachService();

  @FieldResolver(() => OutreachMessageConnection, { description: 'Outreach sent to this creator, oldest first (empty for client viewers).' })
  outreach(@Root() creator: Creator, @Args() page: ForwardPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<OutreachMessage>> {
    return this.outreachService.forCreator(ctx, creator.id, page);
  }

  @FieldResolver(() => [CreatorNote], { description: 'Notes about this creator, oldest first (empty for client viewers).' })
  @ListBound(MAX_NOTES_PER_CREATOR)
  notes(@Root() creator: Creator, @Ctx() ctx: RequestContext): Promise<CreatorNote[]> {
    return this.outreachService.notes(ctx, creator.id);
  }

  @FieldResolver(() => [String], { description: "The agency's labels for this creator, lower-cased (empty for client viewers)." })
  @ListBound(MAX_TAGS)
  tags(@Root() creator: Creator, @Ctx() ctx: RequestContext): string[] {
    return ctx.clientScope ? [] : creator.tags;
  }
}
