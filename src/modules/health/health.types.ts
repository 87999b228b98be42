import { Max, Min } from 'class-validator';
import { Field, Float, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ListBound } from '../../common/limits';
import { LocalDate } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import type { Shop } from '../shop/shop.entity';
import { HEALTH_METRICS } from './health-metrics';
import { HealthRiskLevel } from './health-rules';

registerEnumType(HealthRiskLevel, {
  name: 'HealthRiskLevel',
  valuesConfig: {
    OK: { description: 'Meets the standard with room to spare.' },
    AT_RISK: { description: 'Meets the standard, but within the agency\'s margin of its threshold.' },
    BREACH: { description: 'Past the threshold.' },
  },
});

@ObjectType()
export class HealthRisk {
  @Field({ description: 'The ShopHealth field judged, e.g. "lateDispatchRate".' })
  metric: string;

  @Field(() => Float)
  value: number;

  @Field(() => Float, { description: "The threshold that applies to the shop (the agency's, or its region's)." })
  threshold: number;

  @Field(() => HealthRiskLevel)
  level: HealthRiskLevel;
}

@ObjectType({ description: "One day's account-health snapshot of a shop." })
export class ShopHealth {
  @Field(() => LocalDate)
  date: string;

  @Field(() => Float, { nullable: true, description: "Share of orders dispatched late (0..1). TikTok Shop's US standard: at most 0.04." })
  lateDispatchRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of orders with valid tracking (0..1). Standard: at least 0.95.' })
  validTrackingRate: number | null;

  @Field(() => Float, { nullable: true, description: "Share of orders cancelled through the seller's fault (0..1). Standard: at most 0.025." })
  sellerFaultCancellationRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of orders delivered on time (0..1). Standard: at least 0.80.' })
  onTimeDeliveryRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of orders refunded (0..1); judged only against a threshold the agency sets.' })
  refundRate: number | null;

  @Field(() => Float, { nullable: true, description: 'TikTok Shop Performance Score, 0..5 (our default standard: at least 3.5).' })
  shopPerformanceScore: number | null;

  @Field(() => [HealthRisk], { description: 'Each metric held against its threshold; thresholds are documented and configurable per agency.' })
  @ListBound(HEALTH_METRICS.length)
  risks: HealthRisk[];

  /** The shop it is about: not a field; names the shop in recordShopHealth's audit entry. */
  shop?: Shop;
}

const RATE_MESSAGE = 'must be a share from 0 to 1';

@InputType({ description: "A day's snapshot; recording the same day again replaces it (metrics left out are cleared)." })
@ValidatedByService() // with the shop id and the date, in HealthService.record
export class ShopHealthInput {
  @Field(() => LocalDate, { description: "The shop's calendar day the snapshot is for; not in the future." })
  date: string;

  @Field(() => Float, { nullable: true })
  @Min(0, { message: RATE_MESSAGE })
  @Max(1, { message: RATE_MESSAGE })
  lateDispatchRate?: number | null;

  @Field(() => Float, { nullable: true })
  @Min(0, { message: RATE_MESSAGE })
  @Max(1, { message: RATE_MESSAGE })
  validTrackingRate?: number | null;

  @Field(() => Float, { nullable: true })
  @Min(0, { message: RATE_MESSAGE })
  @Max(1, { message: RATE_MESSAGE })
  sellerFaultCancellationRate?: number | null;

  @Field(() => Float, { nullable: true })
  @Min(0, { message: RATE_MESSAGE })
  @Max(1, { message: RATE_MESSAGE })
  onTimeDeliveryRate?: number | null;

  @Field(() => Float, { nullable: true })
  @Min(0, { message: RATE_MESSAGE })
  @Max(1, { message: RATE_MESSAGE })
  refundRate?: number | null;

  @Field(() => Float, { nullable: true })
  @Min(0, { message: 'must be a score from 0 to 5' })
  @Max(5, { message: 'must be a score from 0 to 5' })
  shopPerformanceScore?: number | null;
}
