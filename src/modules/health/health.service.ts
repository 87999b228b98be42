import { todayIn } from '../../common/clock';
import { RequestContext } from '../../common/context';
import { DateRangeInput } from '../../common/date-range';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { registerClientScope, scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';
import { AgencySettingsValues, loadAgencySettings, settingsOf } from '../agency/agency-settings';
import { ShopHealthSnapshot } from '../sales/ledger.entities';
import { Shop } from '../shop/shop.entity';
import { HEALTH_METRICS } from './health-metrics';
import { judgeHealth } from './health-rules';
import { ShopHealth, ShopHealthInput } from './health.types';

// A client viewer sees the health of their client's shops only.
registerClientScope(ShopHealthSnapshot, (a) => `"${a}"."shop_id" IN (SELECT s.id FROM shops s WHERE s.client_id = :__clientScope)`);

/** A stored snapshot with its risks judged against the thresholds for the shop's region. */
export function healthView(row: ShopHealthSnapshot, region: string, settings: AgencySettingsValues): ShopHealth {
  const view = new ShopHealth();
  view.date = row.date;
  for (const def of HEALTH_METRICS) view[def.field] = row[def.field] ?? null;
  view.risks = judgeHealth(row, region, settings);
  return view;
}

const UPSERT_SQL = `
INSERT INTO shop_health (agency_id, shop_id, date, late_dispatch_rate, valid_tracking_rate, seller_fault_cancellation_rate,
                         on_time_delivery_rate, refund_rate, shop_performance_score)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (agency_id, shop_id, date) DO UPDATE SET
  late_dispatch_rate = EXCLUDED.late_dispatch_rate, valid_tracking_rate = EXCLUDED.valid_tracking_rate,
  seller_fault_cancellation_rate = EXCLUDED.seller_fault_cancellation_rate, on_time_delivery_rate = EXCLUDED.on_time_delivery_rate,
  refund_rate = EXCLUDED.refund_rate, shop_performance_score = EXCLUDED.shop_performance_score, updated_at = now()`;

export class HealthService {
  /**
   * recordShopHealth: one snapshot per (shop, day), upserted; recording a day again replaces it.
   * Every problem of the input comes back at once, the date checked against the shop's own today.
   */
  async record(ctx: RequestContext, shopGlobalId: string, input: ShopHealthInput): Promise<ShopHealth> {
    const errors = await validateInput(input, 'input');
    const shopId = errors.attempt(() => decodeId('Shop', shopGlobalId, 'shopId'));
    if (HEALTH_METRICS.every((d) => input[d.field] === null || input[d.field] === undefined)) {
      errors.add('input', 'give at least one metric');
    }
    return ctx.transaction(async (em) => {
      const shop = shopId ? await scopedQuery(ctx, Shop, 'shop', em).andWhere('shop.id = :shopId', { shopId }).getOne() : null;
      if (shop && input.date > todayIn(shop.timeZone)) errors.add('input.date', `must not be after today in the shop's time zone (${todayIn(shop.timeZone)})`);
      errors.throwIfAny();
      if (!shop) throw AppError.notFound('Shop', 'shopId');

      const values = HEALTH_METRICS.map((d) => input[d.field] ?? null);
      await em.query(UPSERT_SQL, [ctx.agencyId, shop.id, input.date, ...values]);
      const row = Object.assign(new ShopHealthSnapshot(), { date: input.date, ...Object.fromEntries(HEALTH_METRICS.map((d, i) => [d.field, values[i]])) });
      const view = healthView(row, shop.region, await loadAgencySettings(em, ctx.agencyId));
      view.shop = shop;
      return view;
    });
  }

  /** Shop.health: the latest snapshot of each shop asked for in the request, in one statement. */
  async latest(ctx: RequestContext, shop: Shop): Promise<ShopHealth | null> {
    const row = await ctx.loaders
      .get<string, ShopHealthSnapshot | null>('ShopHealth.latest', async (shopIds) => {
        const rows = await scopedQuery(ctx, ShopHealthSnapshot, 'health')
          .andWhere('health.shopId IN (:...shopIds)', { shopIds })
          .distinctOn(['health.shopId'])
          .orderBy('health.shopId')
          .addOrderBy('health.date', 'DESC')
          .getMany();
        const byShop = new Map(rows.map((r) => [r.shopId, r]));
        return shopIds.map((id) => byShop.get(id) ?? null);
      })
      .load(shop.id);
    return row && healthView(row, shop.region, await settingsOf(ctx));
  }

  /** Shop.healthHistory(range): the snapshots of the range's days, oldest first; one statement per range. */
  async history(ctx: RequestContext, shop: Shop, range: DateRangeInput): Promise<ShopHealth[]> {
    const rows = await ctx.loaders
      .manyBy<ShopHealthSnapshot>(`ShopHealth.history:${range.from}:${range.to}`, async (shopIds) => {
        const found = await scopedQuery(ctx, ShopHealthSnapshot, 'health')
          .andWhere('health.shopId IN (:...shopIds)', { shopIds })
          .andWhere('health.date BETWEEN :from AND :to', { from: range.from, to: range.to })
          .orderBy('health.shopId')
          .addOrderBy('health.date', 'ASC')
          .getMany();
        const grouped = new Map<string, ShopHealthSnapshot[]>();
        for (const r of found) grouped.set(r.shopId, [...(grouped.get(r.shopId) ?? []), r]);
        return grouped;
      })
      .load(shop.id);
    if (!rows.length) return [];
    const settings = await settingsOf(ctx);
    return rows.map((r) => healthView(r, shop.region, settings));
  }
}
