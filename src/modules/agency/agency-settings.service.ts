import { RequestContext } from '../../common/context';
import { FieldErrorCollector } from '../../common/errors';
import { Money } from '../../common/money';
import { scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';
import { HEALTH_METRIC, HEALTH_METRICS, HealthMetric } from '../health/health-metrics';
import { Agency } from './agency.entity';
import { AgencySettingsValues, MetricThresholds, notifySettingsChanged, parseAgencySettings, settingsOf } from './agency-settings';
import { AgencySettings, AgencySettingsInput, HealthThreshold, HealthThresholdInput } from './agency-settings.types';

/** The GraphQL view of parsed settings. */
export function settingsView(values: AgencySettingsValues, agency?: Agency): AgencySettings {
  const thresholds = (set: MetricThresholds, isDefault: (metric: HealthMetric) => boolean): HealthThreshold[] =>
    HEALTH_METRICS.filter((d) => set[d.metric] !== undefined).map((d) => ({
      metric: d.metric,
      threshold: set[d.metric]!,
      direction: d.direction,
      isDefault: isDefault(d.metric),
    }));
  const view = new AgencySettings();
  view.healthAtRiskMargin = values.healthAtRiskMargin;
  view.healthThresholds = thresholds(values.healthThresholds, (m) => !values.healthThresholdsSet.has(m));
  view.regionHealthThresholds = [...values.regionHealthThresholds].map(([region, set]) => ({ region, thresholds: thresholds(set, () => false) }));
  view.tierThresholds = [...values.tierThresholds.values()].map((t) => ({
    currency: t.currency,
    starMinGmv: new Money(t.starMinGmvMinor, t.currency),
    risingMinGmv: new Money(t.risingMinGmvMinor, t.currency),
    isDefault: t.isDefault,
  }));
  view.contentReviewSlaHours = values.contentReviewSlaHours;
  if (agency) view.agency = agency;
  return view;
}

/** Checks a list of thresholds against each metric's scale and for repeats; returns them by metric. */
function checkThresholds(list: HealthThresholdInput[], path: string, errors: FieldErrorCollector): MetricThresholds {
  const out: MetricThresholds = {};
  list.forEach((item, i) => {
    const def = HEALTH_METRIC[item.metric];
    if (item.metric in out) errors.add(`${path}.${i}.metric`, `${item.metric} is listed twice`);
    else if (!(item.threshold >= 0 && item.threshold <= def.scaleMax)) errors.add(`${path}.${i}.threshold`, `must be from 0 to ${def.scaleMax} for ${item.metric}`);
    else out[item.metric] = item.threshold;
  });
  return out;
}

export class AgencySettingsService {
  async read(ctx: RequestContext, agency: Agency): Promise<AgencySettings> {
    return settingsView(await settingsOf(ctx), agency);
  }

  /**
   * Validates every field at once, then merges the change into the stored jsonb under a row lock
   * (keys other modules keep there survive) and lets listeners (creator tiers) react in the same
   * transaction.
   */
  async update(ctx: RequestContext, input: AgencySettingsInput): Promise<AgencySettings> {
    const errors = await validateInput(input, 'input');
    if (input.healthAtRiskMargin != null && !errors.has('input.healthAtRiskMargin') && !(input.healthAtRiskMargin < 1)) {
      errors.add('input.healthAtRiskMargin', 'must be less than 1');
    }
    const agencyWide = input.healthThresholds ? checkThresholds(input.healthThresholds, 'input.healthThresholds', errors) : null;

    const regions: Record<string, MetricThresholds> = {};
    input.regionHealthThresholds?.forEach((r, i) => {
      const region = r.region.toUpperCase();
      if (region in regions) errors.add(`input.regionHealthThresholds.${i}.region`, `${region} is listed twice`);
      const set = checkThresholds(r.thresholds ?? [], `input.regionHealthThresholds.${i}.thresholds`, errors);
      regions[region] ??= set;
    });

    const tiers: Record<string, { star: number; rising: number }> = {};
    input.tierThresholds?.forEach((t, i) => {
      const path = `input.tierThresholds.${i}`;
      if (t.currency in tiers) errors.add(`${path}.currency`, `${t.currency} is listed twice`);
      if (!errors.has(`${path}.risingMinGmvMinor`) && !errors.has(`${path}.starMinGmvMinor`) && t.risingMinGmvMinor >= t.starMinGmvMinor) {
        errors.add(`${path}.risingMinGmvMinor`, 'must be less than starMinGmvMinor');
      }
      tiers[t.currency] ??= { star: t.starMinGmvMinor, rising: t.risingMinGmvMinor };
    });
    errors.throwIfAny();

    return ctx.transaction(async (em) => {
      const agency = await scopedQuery(ctx, Agency, 'agency', em).setLock('pessimistic_write').getOneOrFail();
      const stored: Record<string, unknown> = { ...(agency.settings ?? {}) };
      const health: Record<string, unknown> = typeof stored.health === 'object' && stored.health !== null ? { ...(stored.health as object) } : {};
      // undefined: not given, unchanged; null: back to the default (the key goes).
      const put = (target: Record<string, unknown>, key: string, value: unknown) => {
        if (value === undefined) return;
        if (value === null) delete target[key];
        else target[key] = value;
      };
      put(health, 'atRiskMargin', input.healthAtRiskMargin);
      put(health, 'thresholds', input.healthThresholds === undefined ? undefined : agencyWide);
      put(health, 'regions', input.regionHealthThresholds === undefined ? undefined : input.regionHealthThresholds && regions);
      if (Object.keys(health).length) stored.health = health;
      else delete stored.health;
      put(stored, 'tierThresholds', input.tierThresholds === undefined ? undefined : input.tierThresholds && tiers);
      put(stored, 'contentReviewSlaHours', input.contentReviewSlaHours);

      agency.settings = stored;
      await em.query('UPDATE agencies SET settings = $2::jsonb WHERE id = $1', [agency.id, JSON.stringify(stored)]);
      const values = parseAgencySettings(stored);
      await notifySettingsChanged(em, agency.id, values);
      return settingsView(values, agency);
    });
  }
}
