import { ArrayMaxSize, ArrayMinSize, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { ListBound } from '../../common/limits';
import { Money } from '../../common/money';
import { CountryCode, Currency, SafeInt } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import { HealthMetric, HEALTH_METRICS, ThresholdDirection } from '../health/health-metrics';
import type { Agency } from './agency.entity';
import { CONTENT_REVIEW_SLA_HOURS_RANGE, DEFAULT_CONTENT_REVIEW_SLA_HOURS } from './agency-settings';

export const MAX_REGION_OVERRIDES = 50;
export const MAX_TIER_CURRENCIES = 50;

@ObjectType({ description: 'The threshold a health metric is held against.' })
export class HealthThreshold {
  @Field(() => HealthMetric)
  metric: HealthMetric;

  @Field(() => Float)
  threshold: number;

  @Field(() => ThresholdDirection)
  direction: ThresholdDirection;

  @Field({ description: "True when this is the documented default (TikTok Shop's US standard), not the agency's own." })
  isDefault: boolean;
}

@ObjectType({ description: 'Thresholds that replace the agency-wide ones for shops of one region.' })
export class RegionHealthThresholds {
  @Field(() => CountryCode)
  region: string;

  @Field(() => [HealthThreshold])
  @ListBound(HEALTH_METRICS.length)
  thresholds: HealthThreshold[];
}

@ObjectType({ description: 'Minimum trailing 30-day attributed GMV for the STAR and RISING tiers, in one currency.' })
export class TierThreshold {
  @Field(() => Currency)
  currency: string;

  @Field(() => Money)
  starMinGmv: Money;

  @Field(() => Money)
  risingMinGmv: Money;

  @Field({ description: 'True when this is a documented default, not the agency\'s own.' })
  isDefault: boolean;
}

@ObjectType({ description: "The agency's settings: health thresholds, creator tier thresholds, content review SLA (README \"Agency settings\")." })
export class AgencySettings {
  @Field(() => Float, {
    description: 'AT_RISK starts this share of a metric\'s allowance before its threshold (default 0.2; see README "Shop health").',
  })
  healthAtRiskMargin: number;

  @Field(() => [HealthThreshold], { description: 'Agency-wide threshold of every metric that has one.' })
  @ListBound(HEALTH_METRICS.length)
  healthThresholds: HealthThreshold[];

  @Field(() => [RegionHealthThresholds], { description: 'Per-region overrides, by region.' })
  @ListBound(MAX_REGION_OVERRIDES)
  regionHealthThresholds: RegionHealthThresholds[];

  @Field(() => [TierThreshold], { description: 'Per currency, by currency code; GMV in a currency not listed counts as CORE.' })
  @ListBound(MAX_TIER_CURRENCIES + 10)
  tierThresholds: TierThreshold[];

  @Field(() => Int, { description: `Hours a submitted piece of content may wait for review (default ${DEFAULT_CONTENT_REVIEW_SLA_HOURS}).` })
  contentReviewSlaHours: number;

  /** The agency the settings belong to: not a field; names the agency in the audit entry. */
  agency?: Agency;
}

@InputType()
export class HealthThresholdInput {
  @Field(() => HealthMetric)
  metric: HealthMetric;

  @Field(() => Float, { description: 'A share from 0 to 1 for rates; 0 to 5 for SHOP_PERFORMANCE_SCORE.' })
  threshold: number;
}

@InputType()
export class RegionHealthThresholdsInput {
  @Field(() => CountryCode)
  region: string;

  @Field(() => [HealthThresholdInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(HEALTH_METRICS.length)
  @ValidateNested()
  thresholds: HealthThresholdInput[];
}

@InputType()
export class TierThresholdInput {
  @Field(() => Currency)
  currency: string;

  @Field(() => SafeInt, { description: 'Minimum trailing 30-day GMV for STAR, in minor units.' })
  @Min(1)
  starMinGmvMinor: number;

  @Field(() => SafeInt, { description: 'Minimum trailing 30-day GMV for RISING, in minor units; less than starMinGmvMinor.' })
  @Min(1)
  risingMinGmvMinor: number;
}

@InputType({
  description:
    'Only the fields given change. A list replaces what the agency set before (metrics, regions or currencies it leaves out go back to their defaults); null restores the defaults.',
})
@ValidatedByService() // thresholds are checked against their metric's scale, duplicates across the list
export class AgencySettingsInput {
  @Field(() => Float, { nullable: true, description: 'From 0 to less than 1.' })
  @Min(0)
  healthAtRiskMargin?: number | null;

  @Field(() => [HealthThresholdInput], { nullable: true })
  @ArrayMaxSize(HEALTH_METRICS.length)
  @ValidateNested()
  healthThresholds?: HealthThresholdInput[] | null;

  @Field(() => [RegionHealthThresholdsInput], { nullable: true })
  @ArrayMaxSize(MAX_REGION_OVERRIDES)
  @ValidateNested()
  regionHealthThresholds?: RegionHealthThresholdsInput[] | null;

  @Field(() => [TierThresholdInput], { nullable: true })
  @ArrayMaxSize(MAX_TIER_CURRENCIES)
  @ValidateNested()
  tierThresholds?: TierThresholdInput[] | null;

  @Field(() => Int, { nullable: true, description: `From ${CONTENT_REVIEW_SLA_HOURS_RANGE.min} to ${CONTENT_REVIEW_SLA_HOURS_RANGE.max}.` })
  @IsInt()
  @Min(CONTENT_REVIEW_SLA_HOURS_RANGE.min)
  @Max(CONTENT_REVIEW_SLA_HOURS_RANGE.max)
  contentReviewSlaHours?: number | null;
}
