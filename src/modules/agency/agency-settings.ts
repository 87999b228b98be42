import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { DEFAULT_AT_RISK_MARGIN, HEALTH_METRICS, HealthMetric } from '../health/health-metrics';
import { Agency } from './agency.entity';

/**
 * The one reader of `agencies.settings` (jsonb). The column holds only what an agency changed;
 * everything else comes from the defaults here, so a default can change in one place. Layout:
 *
 *   {
 *     "health": {
 *       "atRiskMargin": 0.2,
 *       "thresholds": { "LATE_DISPATCH_RATE": 0.05 },            // agency-wide, per metric
 *       "regions": { "GB": { "LATE_DISPATCH_RATE": 0.06 } }      // per shop region, per metric
 *     },
 *     "tierThresholds": { "USD": { "star": 1000000, "rising": 200000 } },  // minor units, 30-day GMV
 *     "contentReviewSlaHours": 48
 *   }
 *
 * Keys this module does not know are kept as they are when settings are updated.
 */

/** Minimum trailing 30-day attributed GMV, in minor units, for STAR and RISING. */
export interface TierThreshold {
  currency: string;
  starMinGmvMinor: number;
  risingMinGmvMinor: number;
  isDefault: boolean;
}

/** Documented defaults (README "Creator tiers"): $10,000 / $2,000 and their rough equivalents. */
export const DEFAULT_TIER_THRESHOLDS: Readonly<Record<string, { star: number; rising: number }>> = {
  USD: { star: 1_000_000, rising: 200_000 },
  CAD: { star: 1_350_000, rising: 270_000 },
  GBP: { star: 800_000, rising: 160_000 },
  EUR: { star: 900_000, rising: 180_000 },
};

export const DEFAULT_CONTENT_REVIEW_SLA_HOURS = 48;
export const CONTENT_REVIEW_SLA_HOURS_RANGE = { min: 1, max: 720 } as const;

export type MetricThresholds = Partial<Record<HealthMetric, number>>;

export interface AgencySettingsValues {
  healthAtRiskMargin: number;
  /** Agency-wide threshold of each metric that has one (defaults included). */
  healthThresholds: MetricThresholds;
  /** Metrics whose agency-wide threshold the agency set itself. */
  healthThresholdsSet: ReadonlySet<HealthMetric>;
  /** Region (ISO country code) -> the thresholds the agency set for shops of that region. */
  regionHealthThresholds: ReadonlyMap<string, MetricThresholds>;
  /** Currency -> tier thresholds (defaults included). */
  tierThresholds: ReadonlyMap<string, TierThreshold>;
  contentReviewSlaHours: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const METRICS = new Set<string>(Object.values(HealthMetric));

/** Stored thresholds by metric; values that are not numbers of a known metric are ignored. */
function metricThresholds(raw: unknown): MetricThresholds {
  const out: MetricThresholds = {};
  if (!isObject(raw)) return out;
  for (const [metric, value] of Object.entries(raw)) if (METRICS.has(metric) && isNumber(value)) out[metric as HealthMetric] = value;
  return out;
}

/** Settings as stored (any shape: the column is written only by updateAgencySettings, but be safe) -> values with defaults. */
export function parseAgencySettings(raw: unknown): AgencySettingsValues {
  const stored = isObject(raw) ? raw : {};
  const health = isObject(stored.health) ? stored.health : {};

  const margin = health.atRiskMargin;
  const own = metricThresholds(health.thresholds);
  const healthThresholds: MetricThresholds = {};
  for (const def of HEALTH_METRICS) {
    const value = own[def.metric] ?? def.defaultThreshold;
    if (value !== null) healthThresholds[def.metric] = value;
  }

  const regions = new Map<string, MetricThresholds>();
  if (isObject(health.regions)) {
    for (const [region, thresholds] of Object.entries(health.regions).sort(([a], [b]) => a.localeCompare(b))) {
      const parsed = metricThresholds(thresholds);
      if (Object.keys(parsed).length) regions.set(region, parsed);
    }
  }

  const tiers = new Map<string, TierThreshold>();
  for (const [currency, t] of Object.entries(DEFAULT_TIER_THRESHOLDS)) {
    tiers.set(currency, { currency, starMinGmvMinor: t.star, risingMinGmvMinor: t.rising, isDefault: true });
  }
  if (isObject(stored.tierThresholds)) {
    for (const [currency, t] of Object.entries(stored.tierThresholds)) {
      if (isObject(t) && isNumber(t.star) && isNumber(t.rising)) {
        tiers.set(currency, { currency, starMinGmvMinor: t.star, risingMinGmvMinor: t.rising, isDefault: false });
      }
    }
  }

  const sla = stored.contentReviewSlaHours;
  return {
    healthAtRiskMargin: isNumber(margin) && margin >= 0 && margin < 1 ? margin : DEFAULT_AT_RISK_MARGIN,
    healthThresholds,
    healthThresholdsSet: new Set(Object.keys(own) as HealthMetric[]),
    regionHealthThresholds: regions,
    tierThresholds: new Map([...tiers.entries()].sort(([a], [b]) => a.localeCompare(b))),
    contentReviewSlaHours:
      Number.isInteger(sla) && (sla as number) >= CONTENT_REVIEW_SLA_HOURS_RANGE.min && (sla as number) <= CONTENT_REVIEW_SLA_HOURS_RANGE.max
        ? (sla as number)
        : DEFAULT_CONTENT_REVIEW_SLA_HOURS,
  };
}

/** The thresholds that apply to a shop of `region`: the region's own, else the agency-wide ones. */
export function healthThresholdsFor(settings: AgencySettingsValues, region: string): MetricThresholds {
  const regional = settings.regionHealthThresholds.get(region);
  return regional ? { ...settings.healthThresholds, ...regional } : settings.healthThresholds;
}

/** An agency's settings inside a transaction (ingest, tier refresh). */
export async function loadAgencySettings(em: EntityManager, agencyId: string): Promise<AgencySettingsValues> {
  const rows: Array<{ settings: unknown }> = await em.query('SELECT settings FROM agencies WHERE id = $1', [agencyId]);
  return parseAgencySettings(rows[0]?.settings);
}

/** The caller's agency's settings, read once per request (through the Agency loader). */
export function settingsOf(ctx: RequestContext): Promise<AgencySettingsValues> {
  return ctx.loaders
    .get<string, AgencySettingsValues>('AgencySettings', async (ids) => {
      const agencies = await Promise.all(ids.map((id) => ctx.loaders.byId(Agency).load(id)));
      return agencies.map((agency) => parseAgencySettings(agency?.settings));
    })
    .load(ctx.agencyId);
}

type SettingsListener = (em: EntityManager, agencyId: string, settings: AgencySettingsValues) => Promise<void>;
const listeners: SettingsListener[] = [];

/**
 * Work to do in the same transaction whenever an agency's settings change (creator tiers register
 * their refresh here, so this module needs no import of theirs).
 */
export function onAgencySettingsChanged(listener: SettingsListener): void {
  listeners.push(listener);
}

export async function notifySettingsChanged(em: EntityManager, agencyId: string, settings: AgencySettingsValues): Promise<void> {
  for (const listener of listeners) await listener(em, agencyId, settings);
}
