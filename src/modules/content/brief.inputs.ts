import { ArrayMaxSize, IsInt, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { URL } from '../../common/scalars';
import { MAX_BRIEF_ITEMS } from './brief.entity';

@InputType({ description: "The next version of a campaign's brief: every field of the new version (nothing is carried over)." })
export class PublishBriefInput {
  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_BRIEF_ITEMS)
  @Length(1, 500, { each: true })
  keyMessages?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_BRIEF_ITEMS)
  @Length(1, 500, { each: true })
  dos?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_BRIEF_ITEMS)
  @Length(1, 500, { each: true })
  donts?: string[] | null;

  @Field(() => [String], { nullable: true, description: "With or without '#'." })
  @ArrayMaxSize(MAX_BRIEF_ITEMS)
  @Length(1, 100, { each: true })
  requiredHashtags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Defaults to #ad.' })
  @Length(1, 100)
  disclosure?: string | null;

  @Field(() => [URL], { nullable: true })
  @ArrayMaxSize(MAX_BRIEF_ITEMS)
  productLinks?: unknown[] | null;

  @Field(() => Int, { nullable: true, description: 'Days after delivery (or acceptance) the content is due.' })
  @IsInt()
  @Min(0)
  @Max(365)
  contentDueDays?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Also give this version to every open enrollment that has an older one (enrollments without a brief always get it).',
  })
  giveToOpenEnrollments?: boolean | null;
}
