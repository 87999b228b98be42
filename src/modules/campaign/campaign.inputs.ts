import { ArrayMaxSize, IsInt, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { SortDirection } from '../../common/enums';
import { NotBlank } from '../../common/inputs';
import { MoneyInput } from '../../common/money';
import { ValidatedByService } from '../../common/validation';
import { ConnectionType } from '../../common/pagination';
import { LocalDate } from '../../common/scalars';
import { Campaign, CampaignObjective, CampaignStatus } from './campaign.entity';
import { CampaignEnrollment, EnrollmentStatus } from './enrollment.entity';

export const CampaignConnection = ConnectionType(Campaign);
export const CampaignEnrollmentConnection = ConnectionType(CampaignEnrollment);

/** At most this many products per campaign and creators per enrollCreators call. */
export const MAX_CAMPAIGN_PRODUCTS = 500;
export const MAX_ENROLLMENTS_PER_CALL = 500;

@InputType()
export class CampaignFilter {
  @Field(() => [CampaignStatus], { nullable: true })
  status?: CampaignStatus[] | null;

  @Field(() => [CampaignObjective], { nullable: true })
  objective?: CampaignObjective[] | null;

  @Field(() => ID, { nullable: true })
  shopId?: string | null;

  @Field(() => ID, { nullable: true })
  clientId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Campaigns running on this day: started, and not ended before it.' })
  activeOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @Length(1, 200)
  search?: string | null;
}

export enum CampaignOrderField {
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
  START_DATE = 'START_DATE',
}
registerEnumType(CampaignOrderField, { name: 'CampaignOrderField', valuesConfig: { NAME: { description: 'Case-insensitive.' } } });

@InputType()
export class CampaignOrder {
  @Field(() => CampaignOrderField)
  field: CampaignOrderField;

  @Field(() => SortDirection)
  direction: SortDirection;
}

@InputType()
export class EnrollmentFilter {
  @Field(() => [EnrollmentStatus], { nullable: true, description: 'Enrollments in any of these states.' })
  status?: EnrollmentStatus[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: enrollments late with their content (a piece overdue, or contentDueDate ended in the shop\'s time zone with nothing live); false: the others.',
  })
  contentOverdue?: boolean | null;
}

/** Fields shared by create and update. */
@InputType()
abstract class CampaignFields {
  @Field(() => LocalDate, { nullable: true })
  endDate?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: "In the shop's currency." })
  @ValidateNested()
  budget?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: "In the shop's currency." })
  @ValidateNested()
  targetGmv?: MoneyInput | null;

  @Field(() => Float, { nullable: true })
  @Min(0)
  targetRoas?: number | null;

  @Field(() => [ID], { nullable: true, description: "Products of the campaign's shop; on update, replaces the list." })
  @ArrayMaxSize(MAX_CAMPAIGN_PRODUCTS)
  productIds?: string[] | null;
}

/** Validated by CampaignService, with the rules that need the shop. */
@InputType()
@ValidatedByService()
export class CreateCampaignInput extends CampaignFields {
  @Field(() => ID)
  shopId: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => CampaignObjective)
  objective: CampaignObjective;

  @Field(() => LocalDate)
  startDate: string;

  @Field(() => Int, { description: 'Default commission for enrolled creators, in basis points (0..10000).' })
  @IsInt()
  @Min(0)
  @Max(10000)
  commissionRateBps: number;
}

@InputType({ description: 'Only the fields given change; null clears an optional field.' })
@ValidatedByService()
export class UpdateCampaignInput extends CampaignFields {
  @Field(() => String, { nullable: true })
  @Length(1, 200)
  @NotBlank()
  name?: string | null;

  @Field(() => LocalDate, { nullable: true })
  startDate?: string | null;

  @Field(() => Int, { nullable: true })
  @IsInt()
  @Min(0)
  @Max(10000)
  commissionRateBps?: number | null;
}

/** The terms of one enrollment: shared by enrollCreators and updateEnrollment. */
@InputType()
export class EnrollmentTermsInput {
  @Field(() => Int, { nullable: true, description: "Overrides the campaign's rate, in basis points (0..10000)." })
  @IsInt()
  @Min(0)
  @Max(10000)
  commissionRateBps?: number | null;

  @Field(() => LocalDate, { nullable: true })
  contentDueDate?: string | null;
}

@InputType()
@ValidatedByService() // with duplicate creators, in EnrollmentService.enroll
export class EnrollCreatorInput extends EnrollmentTermsInput {
  @Field(() => ID)
  creatorId: string;
}

@InputType({ description: 'Only the fields given change; null clears an override (the campaign rate applies again) or the due date.' })
export class UpdateEnrollmentInput extends EnrollmentTermsInput {}
