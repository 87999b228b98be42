import { Length } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { DateTime, SafeInt, URL } from '../../common/scalars';
import { Money } from '../../common/money';
import { ValidatedByService } from '../../common/validation';
import { Content, ContentFormat, ContentStatus } from './content.entity';

export const ContentConnection = ConnectionType(Content);

/** Captions as TikTok takes them; notes as people write them. */
export const MAX_CAPTION = 2200;
export const MAX_NOTES = 2000;

@InputType()
export class ContentFilter {
  @Field(() => [ContentStatus], { nullable: true })
  status?: ContentStatus[] | null;

  @Field(() => ID, { nullable: true })
  creatorId?: string | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: content late now — not LIVE or REMOVED past its posting due time (dueAt, else the end of the enrollment's contentDueDate in the " +
      "shop's time zone), or SUBMITTED past its review due time; false: the rest.",
  })
  overdue?: boolean | null;
}

@InputType({ description: 'A first submission (no contentId), or a resubmission of content that had CHANGES_REQUESTED (or was PLANNED).' })
@ValidatedByService()
export class SubmitContentInput {
  @Field(() => ID)
  enrollmentId: string;

  @Field(() => ID, { nullable: true, description: 'The content to resubmit after CHANGES_REQUESTED: it keeps its id and its revision goes up by one.' })
  contentId?: string | null;

  @Field(() => ID, { nullable: true })
  productId?: string | null;

  @Field(() => ContentFormat, { nullable: true, defaultValue: ContentFormat.VIDEO, description: 'Of a new piece; a resubmitted or planned piece keeps its own.' })
  format?: ContentFormat | null;

  @Field(() => String, { nullable: true })
  @Length(0, MAX_CAPTION)
  caption?: string | null;

  @Field(() => URL, { nullable: true })
  url?: unknown;

  @Field(() => DateTime, { nullable: true, description: 'When it must be live; a time in the past is accepted (backfills).' })
  dueAt?: Date | null;
}

@InputType({ description: 'Content expected from a creator, before anything is submitted (e.g. a scheduled LIVE).' })
@ValidatedByService()
export class PlanContentInput {
  @Field(() => ID)
  enrollmentId: string;

  @Field(() => ID, { nullable: true })
  productId?: string | null;

  @Field(() => ContentFormat, { nullable: true, defaultValue: ContentFormat.VIDEO })
  format?: ContentFormat | null;

  @Field(() => DateTime, { nullable: true, description: 'When it must be live; a time in the past is accepted (backfills).' })
  dueAt?: Date | null;
}

@InputType()
@ValidatedByService()
export class ReviewContentInput {
  @Field(() => ID)
  contentId: string;

  @Field(() => ContentStatus, { description: 'APPROVED or CHANGES_REQUESTED.' })
  decision: ContentStatus;

  @Field(() => String, { nullable: true, description: 'Shared with the brand (client viewers read them).' })
  @Length(0, MAX_NOTES)
  notes?: string | null;

  @Field(() => String, { nullable: true, description: 'For the agency only: client viewers never see them.' })
  @Length(0, MAX_NOTES)
  internalNotes?: string | null;
}

@ObjectType()
export class ContentStats {
  @Field(() => SafeInt) views: number;
  @Field(() => SafeInt) likes: number;
  @Field(() => SafeInt) comments: number;
  @Field(() => SafeInt) shares: number;
  @Field(() => SafeInt) clicks: number;
  @Field(() => SafeInt) orders: number;
  @Field(() => Money) gmv: Money;
}

@ObjectType({ description: 'Content of a campaign that is late now (see ContentFilter.overdue).' })
export class ContentOverdueCounts {
  @Field(() => Int, { description: 'SUBMITTED content past its review due time.' })
  reviews: number;

  @Field(() => Int, { description: 'Content not LIVE (or REMOVED) past its posting due time.' })
  posts: number;
}
