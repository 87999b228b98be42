import { registerEnumType } from 'type-graphql';

/**
 * The account-health metrics TikTok Shop reports, and the standards they are held against. Pure
 * definitions: agency settings (thresholds) and the health rules (risk levels) both read them.
 */
export enum HealthMetric {
  LATE_DISPATCH_RATE = 'LATE_DISPATCH_RATE',
  VALID_TRACKING_RATE = 'VALID_TRACKING_RATE',
  SELLER_FAULT_CANCELLATION_RATE = 'SELLER_FAULT_CANCELLATION_RATE',
  ON_TIME_DELIVERY_RATE = 'ON_TIME_DELIVERY_RATE',
  REFUND_RATE = 'REFUND_RATE',
  SHOP_PERFORMANCE_SCORE = 'SHOP_PERFORMANCE_SCORE',
}
registerEnumType(HealthMetric, {
  name: 'HealthMetric',
  description: "An account-health metric; HealthRisk.metric names it by its ShopHealth field (LATE_DISPATCH_RATE is 'lateDispatchRate').",
});

/** Which side of its threshold a metric must stay on. */
export enum ThresholdDirection {
  AT_MOST = 'AT_MOST',
  AT_LEAST = 'AT_LEAST',
}
registerEnumType(ThresholdDirection, {
  name: 'ThresholdDirection',
  description: 'AT_MOST: the value must not exceed the threshold (late dispatch); AT_LEAST: it must not fall below it (valid tracking).',
});

/** The ShopHealth fields that hold metric values. */
export type HealthField =
  | 'lateDispatchRate'
  | 'validTrackingRate'
  | 'sellerFaultCancellationRate'
  | 'onTimeDeliveryRate'
  | 'refundRate'
  | 'shopPerformanceScore';

export interface HealthMetricDefinition {
  metric: HealthMetric;
  field: HealthField;
  direction: ThresholdDirection;
  /** The best possible value on the AT_LEAST side (1 for rates, 5 for the score); 0 is best for AT_MOST. */
  scaleMax: number;
  /** TikTok Shop's US standard; null when there is none (refund rate: judged only when an agency sets one). */
  defaultThreshold: number | null;
}

const D = ThresholdDirection;

/** In the order risks are listed. */
export const HEALTH_METRICS: readonly HealthMetricDefinition[] = [
  { metric: HealthMetric.LATE_DISPATCH_RATE, field: 'lateDispatchRate', direction: D.AT_MOST, scaleMax: 1, defaultThreshold: 0.04 },
  { metric: HealthMetric.VALID_TRACKING_RATE, field: 'validTrackingRate', direction: D.AT_LEAST, scaleMax: 1, defaultThreshold: 0.95 },
  { metric: HealthMetric.SELLER_FAULT_CANCELLATION_RATE, field: 'sellerFaultCancellationRate', direction: D.AT_MOST, scaleMax: 1, defaultThreshold: 0.025 },
  { metric: HealthMetric.ON_TIME_DELIVERY_RATE, field: 'onTimeDeliveryRate', direction: D.AT_LEAST, scaleMax: 1, defaultThreshold: 0.8 },
  { metric: HealthMetric.REFUND_RATE, field: 'refundRate', direction: D.AT_MOST, scaleMax: 1, defaultThreshold: null },
  // Our choice (TikTok does not publish one number): below 3.5 of 5 a shop loses programme eligibility.
  { metric: HealthMetric.SHOP_PERFORMANCE_SCORE, field: 'shopPerformanceScore', direction: D.AT_LEAST, scaleMax: 5, defaultThreshold: 3.5 },
];

export const HEALTH_METRIC: Readonly<Record<HealthMetric, HealthMetricDefinition>> = Object.fromEntries(
  HEALTH_METRICS.map((d) => [d.metric, d]),
) as Record<HealthMetric, HealthMetricDefinition>;

/** AT_RISK starts this share of a metric's allowance before its threshold (see health-rules.ts). */
export const DEFAULT_AT_RISK_MARGIN = 0.2;
