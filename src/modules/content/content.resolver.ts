import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { Connection, ForwardPageArgs, PageArgs, withCountHint } from '../../common/pagination';
import { DateTime, URL } from '../../common/scalars';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { Creator } from '../creator/creator.entity';
import { Member } from '../member/member.entity';
import { Product } from '../product/product.entity';
import { currentTime } from '../../common/clock';
import { ContentReview } from './content-review.entity';
import { Content, ContentStatus } from './content.entity';
import { ContentConnection, ContentFilter, ContentOverdueCounts, ContentStats, PlanContentInput, ReviewContentInput, SubmitContentInput } from './content.inputs';
import { ContentService, MAX_REVISIONS } from './content.service';

@Resolver(() => Content)
export class ContentResolver extends NodeResolver(Content) {
  private readonly contentService = new ContentService();

  @Authorized(Permission.READ)
  @Query(() => ContentConnection, { description: 'Content of the agency (a client viewer: of their client), oldest first.' })
  content(
    @Args() page: PageArgs,
    @Arg('filter', () => ContentFilter, { nullable: true }) filter: ContentFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Content>> {
    return this.contentService.list(ctx, withCountHint(page, info), filter);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Content, {
    description:
      'Submits content for review (SUBMITTED): a new piece, or with contentId the next revision of content that had CHANGES_REQUESTED. ' +
      'The enrollment must be ACCEPTED or later; ACCEPTED and SAMPLE_* enrollments move to CONTENT_IN_REVIEW.',
  })
  submitContent(@Arg('input', () => SubmitContentInput) input: SubmitContentInput, @Ctx() ctx: RequestContext): Promise<Content> {
    return this.contentService.submit(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Content, { description: 'Plans content (PLANNED) for an ACCEPTED-or-later enrollment, with its due time; submit it later with submitContent(input: { contentId }).' })
  planContent(@Arg('input', () => PlanContentInput) input: PlanContentInput, @Ctx() ctx: RequestContext): Promise<Content> {
    return this.contentService.plan(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Content, { description: 'Reviews SUBMITTED content: APPROVED or CHANGES_REQUESTED, by the caller; QA checks are recorded with the review.' })
  reviewContent(@Arg('input', () => ReviewContentInput) input: ReviewContentInput, @Ctx() ctx: RequestContext): Promise<Content> {
    return this.contentService.review(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Content, {
    description: 'APPROVED content goes LIVE with its TikTok video id (unique per shop: CONFLICT otherwise) and URL; the enrollment moves to POSTED.',
  })
  markContentLive(
    @Arg('id', () => ID) id: string,
    @Arg('videoId') videoId: string,
    @Arg('url', () => URL) url: unknown,
    @Arg('postedAt', () => DateTime, { nullable: true, description: 'Defaults to now.' }) postedAt: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Content> {
    return this.contentService.markLive(ctx, id, videoId, url, postedAt);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Content, { description: 'Takes content out of the workflow (REMOVED, final); its reviews stay.' })
  removeContent(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Content> {
    return this.contentService.remove(ctx, id);
  }

  @FieldResolver(() => Campaign)
  campaign(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    return ctx.loaders.byId(Campaign).load(content.campaignId);
  }

  @FieldResolver(() => Creator)
  creator(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<Creator | null> {
    return ctx.loaders.byId(Creator).load(content.creatorId);
  }

  @FieldResolver(() => CampaignEnrollment)
  enrollment(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<CampaignEnrollment | null> {
    return ctx.loaders.byId(CampaignEnrollment).load(content.enrollmentId);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<Product | null> | null {
    return content.productId ? ctx.loaders.byId(Product).load(content.productId) : null;
  }

  @FieldResolver(() => ContentStats, { description: "The video's views, engagement, orders and GMV over every day of the ledger; zeros until it has any." })
  stats(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<ContentStats> {
    return this.contentService.stats(ctx, content);
  }

  @FieldResolver(() => [ContentReview], { description: `Every review, oldest first (one per revision: at most ${MAX_REVISIONS}).` })
  @ListBound(MAX_REVISIONS)
  reviews(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<ContentReview[]> {
    return this.contentService.reviews(ctx, content.id);
  }

  @FieldResolver(() => DateTime, {
    nullable: true,
    description: "When it must be live: dueAt, else the end of the enrollment's contentDueDate in the shop's time zone; null when neither is set.",
  })
  postDueAt(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<Date | null> {
    return this.contentService.postDueAt(ctx, content);
  }

  @FieldResolver(() => Boolean, { description: 'Late now: not LIVE (or REMOVED) past postDueAt, or SUBMITTED past reviewDueAt.' })
  async overdue(@Root() content: Content, @Ctx() ctx: RequestContext): Promise<boolean> {
    const now = currentTime().getTime();
    if (content.status === ContentStatus.SUBMITTED && content.reviewDueAt && content.reviewDueAt.getTime() < now) return true;
    if (content.status === ContentStatus.LIVE || content.status === ContentStatus.REMOVED) return false;
    const due = await this.contentService.postDueAt(ctx, content);
    return due !== null && new Date(due).getTime() < now;
  }
}

@Resolver(() => ContentReview)
export class ContentReviewResolver {
  @FieldResolver(() => Member, { nullable: true, description: 'Who decided; null once they are no longer a member (and for client viewers).' })
  reviewer(@Root() review: ContentReview, @Ctx() ctx: RequestContext): Promise<Member | null> | null {
    return review.reviewerId ? ctx.loaders.byId(Member).load(review.reviewerId) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The agency's own notes: always null for client viewers." })
  internalNotes(@Root() review: ContentReview, @Ctx() ctx: RequestContext): string | null {
    return ctx.clientScope ? null : review.internalNotes;
  }
}

/** Content under campaigns and creators, and each campaign's overdue counts: batched per response. */
@Resolver(() => Campaign)
export class CampaignContentResolver {
  private readonly contentService = new ContentService();

  @FieldResolver(() => ContentConnection)
  content(
    @Root() campaign: Campaign,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => ContentFilter, { nullable: true }) filter: ContentFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Content>> {
    return this.contentService.forParent(ctx, 'campaign', campaign.id, page, filter);
  }

  @FieldResolver(() => ContentOverdueCounts, { description: 'How much of its content is late now: reviews past due, posts past due.' })
  contentOverdue(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<ContentOverdueCounts> {
    return this.contentService.overdueCounts(ctx, campaign.id);
  }
}

@Resolver(() => Creator)
export class CreatorContentResolver {
  private readonly contentService = new ContentService();

  @FieldResolver(() => ContentConnection)
  content(@Root() creator: Creator, @Args() page: ForwardPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<Content>> {
    return this.contentService.forParent(ctx, 'creator', creator.id, page);
  }
}
