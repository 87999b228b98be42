import { In } from 'typeorm';
import { RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Connection, CREATED_ORDER, ListSpec, loadNestedConnection, PageArgs } from '../../common/pagination';
import { ShopService } from '../shop/shop.service';
import { Product } from './product.entity';
import { MAX_PRODUCTS_PER_UPSERT, ProductInput } from './product.inputs';
import { scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';

export class ProductService {
  private readonly shops = new ShopService();

  private spec(ctx: RequestContext): ListSpec<Product> {
    return {
      keys: CREATED_ORDER,
      query: () => scopedQuery(ctx, Product, 'product'),
    };
  }

  forShop(ctx: RequestContext, shopId: string, page: PageArgs): Promise<Connection<Product>> {
    return loadNestedConnection(ctx.loaders, 'Shop.products', this.spec(ctx), { column: 'shop_id', property: 'shopId' }, shopId, page);
  }

  /**
   * Inserts or updates products by SKU in one statement, in one transaction; returns them in
   * input order. Every problem of the batch is reported at once, and nothing is written then.
   */
  async upsert(ctx: RequestContext, shopGlobalId: string, products: ProductInput[]): Promise<Product[]> {
    if (products.length > MAX_PRODUCTS_PER_UPSERT) {
      throw AppError.badField('products', `at most ${MAX_PRODUCTS_PER_UPSERT} products per call`);
    }
    const errors = await validateInput(products, 'products');
    const shopId = errors.attempt(() => decodeId('Shop', shopGlobalId, 'shopId'));
    return ctx.transaction(async (em) => {
      const shop = shopId ? await this.shops.get(ctx, em, shopId, 'shopId') : undefined;
      const seen = new Map<string, number>();
      products.forEach((p, i) => {
        const sku = p.sku.trim();
        // A blank SKU is already reported blank, not also as a duplicate of another blank one.
        if (seen.has(sku) && !errors.has(`products.${i}.sku`)) errors.add(`products.${i}.sku`, `duplicates products.${seen.get(sku)}.sku`);
        if (!seen.has(sku)) seen.set(sku, i);
        if (!shop) return;
        if (p.price.currency !== shop.currency) errors.add(`products.${i}.price.currency`, `must be the shop currency ${shop.currency}`);
        if (p.unitCost && p.unitCost.currency !== shop.currency) {
          errors.add(`products.${i}.unitCost.currency`, `must be the shop currency ${shop.currency}`);
        }
      });
      errors.throwIfAny();
      // No problems, so the shop id decoded and the shop was found.
      const { currency } = shop!;
      if (products.length === 0) return [];
      await em
        .createQueryBuilder()
        .insert()
        .into(Product)
        .values(
          products.map((p) => ({
            agencyId: ctx.agencyId,
            shopId,
            sku: p.sku.trim(),
            title: p.title.trim(),
            currency,
            priceMinor: p.price.amountMinor,
            unitCostMinor: p.unitCost?.amountMinor ?? null,
          })),
        )
        .orUpdate(['title', 'price_minor', 'unit_cost_minor', 'updated_at'], ['shop_id', 'sku'])
        .updateEntity(false)
        .execute();
      const saved = await em.getRepository(Product).find({ where: { shopId, sku: In([...seen.keys()]) } });
      const bySku = new Map(saved.map((p) => [p.sku, p]));
      return products.map((p) => bySku.get(p.sku.trim())!);
    });
  }
}
