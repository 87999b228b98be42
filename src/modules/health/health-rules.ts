import { AgencySettingsValues, healthThresholdsFor } from '../agency/agency-settings';
import { HEALTH_METRICS, HealthField, HealthMetricDefinition, ThresholdDirection } from './health-metrics';

/**
 * Risk levels of account-health metrics, written once (the README's "Shop health" says the same).
 *
 * Each metric has an allowance: the distance from its ideal value to its threshold (0 → 4 % for
 * late dispatch, which must stay AT_MOST 4 %; 100 % → 95 % for valid tracking, AT_LEAST 95 %;
 * 5 → 3.5 for the performance score). With margin m (default 0.2):
 *   BREACH   the value is past the threshold (late dispatch > 4 %, valid tracking < 95 %);
 *   AT_RISK  it is within m × allowance of the threshold, threshold included
 *            (late dispatch above 3.2 %, valid tracking below 96 %, score below 3.8);
 *   OK       otherwise (exactly 3.2 % or 96 % is OK).
 * For AT_MOST metrics this is "within 20 % of the threshold"; for AT_LEAST ones a share of the
 * threshold itself would not work (95 % + 20 % of 95 % is over 100 %), so the band is a share of
 * the headroom instead. Comparisons allow 1e-9 for floating-point noise (0.04 × 0.8).
 */
export enum HealthRiskLevel {
  OK = 'OK',
  AT_RISK = 'AT_RISK',
  BREACH = 'BREACH',
}

const EPSILON = 1e-9;

/** Where AT_RISK begins: above this for AT_MOST metrics, below it for AT_LEAST ones. */
export function atRiskEdge(def: Pick<HealthMetricDefinition, 'direction' | 'scaleMax'>, threshold: number, margin: number): number {
  return def.direction === ThresholdDirection.AT_MOST ? threshold * (1 - margin) : threshold + (def.scaleMax - threshold) * margin;
}

export function riskLevel(def: Pick<HealthMetricDefinition, 'direction' | 'scaleMax'>, value: number, threshold: number, margin: number): HealthRiskLevel {
  const edge = atRiskEdge(def, threshold, margin);
  if (def.direction === ThresholdDirection.AT_MOST) {
    if (value > threshold + EPSILON) return HealthRiskLevel.BREACH;
    return value > edge + EPSILON ? HealthRiskLevel.AT_RISK : HealthRiskLevel.OK;
  }
  if (value < threshold - EPSILON) return HealthRiskLevel.BREACH;
  return value < edge - EPSILON ? HealthRiskLevel.AT_RISK : HealthRiskLevel.OK;
}

export interface JudgedRisk {
  /** The ShopHealth field ("lateDispatchRate"). */
  metric: HealthField;
  value: number;
  threshold: number;
  level: HealthRiskLevel;
}

/** Every metric present in a snapshot that has a threshold for the shop's region, in a fixed order. */
export function judgeHealth(values: Partial<Record<HealthField, number | null>>, region: string, settings: AgencySettingsValues): JudgedRisk[] {
  const thresholds = healthThresholdsFor(settings, region);
  const risks: JudgedRisk[] = [];
  for (const def of HEALTH_METRICS) {
    const value = values[def.field];
    const threshold = thresholds[def.metric];
    if (value === null || value === undefined || threshold === undefined) continue;
    risks.push({ metric: def.field, value, threshold, level: riskLevel(def, value, threshold, settings.healthAtRiskMargin) });
  }
  return risks;
}
