import { IsInt, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, MoneyInput } from '../../common/money';
import { ConnectionType } from '../../common/pagination';
import { DateTime } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import { Campaign } from '../campaign/campaign.entity';
import { Creator } from '../creator/creator.entity';
import { Sample } from './sample.entity';

export const SampleConnection = ConnectionType(Sample);

/** Samples one enrollment may have, and rows sampleRoi returns. */
export const MAX_SAMPLES_PER_ENROLLMENT = 50;
export const MAX_ROI_ROWS = 500;

@InputType()
@ValidatedByService()
export class ShipSampleInput {
  @Field(() => ID)
  enrollmentId: string;

  @Field(() => ID, { description: "A product of the campaign's shop." })
  productId: string;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: "In the shop's currency; defaults to the product's unit cost times the quantity." })
  @ValidateNested()
  cost?: MoneyInput | null;

  @Field(() => String, { nullable: true })
  @Length(1, 100)
  carrier?: string | null;

  @Field()
  @Length(1, 100)
  trackingNumber: string;

  @Field(() => DateTime, { nullable: true, description: 'Defaults to now.' })
  shippedAt?: Date | null;
}

export enum SampleRoiGrouping {
  CREATOR = 'CREATOR',
  CAMPAIGN = 'CAMPAIGN',
}
registerEnumType(SampleRoiGrouping, { name: 'SampleRoiGrouping' });

@ObjectType({ description: "Sample cost against attributed GMV for one creator or one campaign of a shop (GMV from the sales ledger's rollups)." })
export class SampleRoi {
  /** Set when grouped by campaign. */
  campaignId: string | null;
  /** Set when grouped by creator. */
  creatorId: string | null;

  @Field(() => Int, { description: 'Sample units shipped.' })
  units: number;

  @Field(() => Money)
  sampleCost: Money;

  @Field(() => Money, { description: 'GMV attributed to the creator (or campaign) in this shop, all time.' })
  attributedGmv: Money;

  @Field(() => Float, { nullable: true, description: 'attributedGmv / sampleCost; null when the samples cost nothing.' })
  gmvPerSampleCost: number | null;

  // Resolved by SampleRoiResolver.
  campaign?: Campaign | null;
  creator?: Creator | null;
}
