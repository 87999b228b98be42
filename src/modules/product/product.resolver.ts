import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { Shop } from '../shop/shop.entity';
import { Product } from './product.entity';
import { MAX_PRODUCTS_PER_UPSERT, ProductInput } from './product.inputs';
import { ProductService } from './product.service';

@Resolver(() => Product)
export class ProductResolver extends NodeResolver(Product) {
  private readonly products = new ProductService();

  @Authorized(Permission.WRITE)
  @Mutation(() => [Product], { description: 'Creates or updates products by SKU (at most 1,000 per call); returns them in input order.' })
  @ListBound(MAX_PRODUCTS_PER_UPSERT, 'products')
  upsertProducts(
    @Arg('shopId', () => ID) shopId: string,
    @Arg('products', () => [ProductInput]) products: ProductInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<Product[]> {
    return this.products.upsert(ctx, shopId, products);
  }

  @FieldResolver(() => Shop)
  shop(@Root() product: Product, @Ctx() ctx: RequestContext): Promise<Shop | null> {
    return ctx.loaders.byId(Shop).load(product.shopId);
  }
}
