import type { RequestContext } from '../../common/context';
import { DateRangeInput } from '../../common/date-range';
import { AppError } from '../../common/errors';
import { checkPageSize, Connection, DEFAULT_PAGE_SIZE, ForwardPageArgs, PageInfo } from '../../common/pagination';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';
import { entityColumns, hydrate } from './hydrate';
import { ProductProfit, ProfitBreakdown, RollupSums, sumSelect, sumsFromRow } from './metrics.types';

/**
 * Profit by product: every product of a shop with sales or samples in the range, most net profit
 * first (then SKU), from the product rollups. One statement for the shops of a batch: the page of
 * each shop and its count come from window functions.
 */

const NET_PROFIT_SQL = `(sum_gmv_minor - sum_refunds_minor - sum_cogs_minor - sum_platform_fees_minor - sum_commissions_minor - sum_ad_spend_minor - sum_sample_cost_minor)`;

function productProfitSql(productColumns: string): string {
  return `
WITH agg AS (
  SELECT r.shop_id, r.subject_id, ${sumSelect('r')}
  FROM metric_rollups r
  WHERE r.agency_id = $1 AND r.shop_id = ANY($2::uuid[]) AND r.dimension = 'P' AND r.day BETWEEN $3::date AND $4::date
  GROUP BY 1, 2
),
ranked AS (
  SELECT agg.*, ${productColumns},
    row_number() OVER (PARTITION BY agg.shop_id ORDER BY ${NET_PROFIT_SQL} DESC, p.sku COLLATE "C", p.id) AS position,
    count(*) OVER (PARTITION BY agg.shop_id) AS total
  FROM agg JOIN products p ON p.agency_id = $1 AND p.id = agg.subject_id::uuid
)
-- The first row always comes too: it carries the count when the page lies past the end.
SELECT * FROM ranked WHERE (position > $5 AND position <= $5 + $6 + 1) OR position = 1 ORDER BY shop_id, position`;
}

/** Cursors are positions in the ordering: "pp:<n>" (a profit table is a report, not a feed). */
function encodeCursor(position: number): string {
  return Buffer.from(`pp:${position}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^pp:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw AppError.badField('after', 'Not a cursor of this list');
  return Number(match[1]);
}

export class ProfitService {
  productProfit(ctx: RequestContext, shop: Shop, range: DateRangeInput, page: ForwardPageArgs): Promise<Connection<ProductProfit>> {
    checkPageSize('first', page.first);
    const first = page.first ?? DEFAULT_PAGE_SIZE;
    const offset = page.after ? decodeCursor(page.after) : 0;
    const loader = ctx.loaders.get<string, Connection<ProductProfit>>(`metrics:productProfit:${range.from}:${range.to}:${first}:${offset}`, async (shopIds) => {
      const rows: Array<Record<string, unknown>> = await ctx.em.query(productProfitSql(entityColumns(ctx.em, Product, 'p', 'product_')), [
        ctx.agencyId,
        shopIds,
        range.from,
        range.to,
        offset,
        first,
      ]);
      const byShop = new Map<string, Array<Record<string, unknown>>>();
      for (const row of rows) byShop.set(row.shop_id as string, [...(byShop.get(row.shop_id as string) ?? []), row]);
      return shopIds.map((shopId) => {
        const all = byShop.get(shopId) ?? [];
        const total = all.length ? Number(all[0].total) : 0;
        const shopRows = all.filter((row) => Number(row.position) > offset);
        const edges = shopRows.slice(0, first).map((row) => {
          const product = hydrate(ctx.em, Product, row, 'product_');
          ctx.loaders.byId(Product).prime(product.id, product);
          const sums: RollupSums = sumsFromRow(row);
          const node = Object.assign(new ProductProfit(), { product, units: sums.units, profit: new ProfitBreakdown(product.currency, sums) });
          return { cursor: encodeCursor(Number(row.position)), node };
        });
        const pageInfo: PageInfo = {
          hasNextPage: shopRows.length > first,
          hasPreviousPage: offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        };
        return new Connection(edges, pageInfo, async () => total);
      });
    });
    return loader.load(shop.id);
  }
}
