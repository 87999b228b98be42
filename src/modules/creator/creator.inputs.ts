import { ArrayMaxSize, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { SortDirection } from '../../common/enums';
import { ConnectionType } from '../../common/pagination';
import { CountryCode, EmailAddress, NonNegativeInt } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import { Creator, CreatorTier } from './creator.entity';

export const CreatorConnection = ConnectionType(Creator);

/** TikTok handles: letters, digits, '_' and '.', 2 to 24 characters; a leading '@' is dropped. */
const HANDLE = /^@?[A-Za-z0-9._]{2,24}$/;
const HANDLE_MESSAGE = "handle must be 2 to 24 letters, digits, '_' or '.'";

@ArgsType()
export class CreatorByHandleArgs {
  @Field({ description: "TikTok handle, with or without '@', in any case." })
  @Matches(HANDLE, { message: HANDLE_MESSAGE })
  handle: string;
}

@InputType()
export class CreatorFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the handle or display name.' })
  @Length(1, 100)
  search?: string | null;

  @Field(() => [CreatorTier], { nullable: true, description: 'Creators in any of these tiers.' })
  @ArrayMaxSize(5)
  tiers?: CreatorTier[] | null;

  @Field(() => [String], { nullable: true, description: 'Creators with any of these niches (case-insensitive).' })
  @ArrayMaxSize(50)
  niches?: string[] | null;

  @Field(() => Int, { nullable: true })
  @Min(0)
  minFollowers?: number | null;

  @Field(() => CountryCode, { nullable: true })
  region?: string | null;

  @Field(() => [String], { nullable: true, description: 'Creators with any of these tags (case-insensitive).' })
  @ArrayMaxSize(50)
  tags?: string[] | null;

  @Field(() => Int, { nullable: true })
  @Min(0)
  maxFollowers?: number | null;

  @Field(() => Float, { nullable: true, description: 'A ratio (0.05 = 5%).' })
  @Min(0)
  @Max(1)
  minEngagementRate?: number | null;

  @Field(() => Float, { nullable: true })
  @Min(0)
  @Max(1)
  maxEngagementRate?: number | null;

  @Field(() => ID, { nullable: true, description: 'Creators not enrolled in this campaign (in any status).' })
  notEnrolledInCampaignId?: string | null;
}

export enum CreatorOrderField {
  HANDLE = 'HANDLE',
  FOLLOWER_COUNT = 'FOLLOWER_COUNT',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(CreatorOrderField, { name: 'CreatorOrderField' });

@InputType()
export class CreatorOrder {
  @Field(() => CreatorOrderField)
  field: CreatorOrderField;

  @Field(() => SortDirection)
  direction: SortDirection;
}

/** Fields shared by create and update; niches are stored lower-cased and de-duplicated. */
@InputType()
abstract class CreatorFields {
  @Field(() => String, { nullable: true })
  @Length(1, 100)
  displayName?: string | null;

  @Field(() => Float, { nullable: true, description: 'A ratio from 0 to 1 (0.052 = 5.2%).' })
  @Min(0)
  @Max(1)
  engagementRate?: number | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(20)
  @Length(1, 50, { each: true })
  niches?: string[] | null;

  @Field(() => CountryCode, { nullable: true })
  region?: string | null;

  @Field(() => EmailAddress, { nullable: true })
  email?: string | null;
}

@InputType()
export class CreateCreatorInput extends CreatorFields {
  @Field({ description: "TikTok handle, with or without '@'; unique within the agency, case-insensitive." })
  @Matches(HANDLE, { message: HANDLE_MESSAGE })
  handle: string;

  @Field(() => NonNegativeInt)
  followerCount: number;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
@ValidatedByService() // with "followerCount cannot be cleared", in CreatorService.update
export class UpdateCreatorInput extends CreatorFields {
  @Field(() => NonNegativeInt, { nullable: true })
  @IsOptional()
  followerCount?: number | null;
}
