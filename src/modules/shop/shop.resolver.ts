import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Info } from 'type-graphql';
import { Permission } from '../../common/access';
import { withCountHint } from '../../common/pagination';
import { RequestContext } from '../../common/context';
import { decodeId } from '../../common/global-id';
import { NodeResolver } from '../../common/node';
import { Connection, declareFieldNeeds, ForwardPageArgs, prefetchNestedPages, withNodeFields } from '../../common/pagination';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignConnection, CampaignFilter } from '../campaign/campaign.inputs';
import { CampaignService } from '../campaign/campaign.service';
import { Client } from '../client/client.entity';
import { Product } from '../product/product.entity';
import { ProductConnection } from '../product/product.inputs';
import { ProductService } from '../product/product.service';
import { Shop } from './shop.entity';
import { CreateShopInput, ShopConnection, UpdateShopInput } from './shop.inputs';
import { ShopService } from './shop.service';

@Resolver(() => Shop)
export class ShopResolver extends NodeResolver(Shop) {
  private readonly shopService = new ShopService();
  private readonly productService = new ProductService();
  private readonly campaignService = new CampaignService();

  @Authorized(Permission.READ)
  @Query(() => ShopConnection)
  shops(
    @Args() page: ForwardPageArgs,
    @Arg('clientId', () => ID, { nullable: true }) clientId: string | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Shop>> {
    return this.shopService.list(ctx, withCountHint(page, info), clientId);
  }

  @Authorized(Permission.READ)
  @Query(() => Shop, { nullable: true, description: "A shop by id; null when it does not exist or is not the caller's (like node)." })
  shop(@Arg('id', () => ID) id: string, @Info() info: GraphQLResolveInfo, @Ctx() ctx: RequestContext): Promise<Shop | null> {
    const shop = this.shopService.find(ctx, id);
    prefetchNestedPages(info, 'Shop', { products: (page) => this.productService.forShop(ctx, decodeId('Shop', id), page) });
    return shop;
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Shop)
  createShop(@Arg('input', () => CreateShopInput) input: CreateShopInput, @Ctx() ctx: RequestContext): Promise<Shop> {
    return this.shopService.create(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Shop, { description: 'Changes name, status, time zone, default commission or platform fee; externalId, region and currency are fixed.' })
  updateShop(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateShopInput) input: UpdateShopInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Shop> {
    return this.shopService.update(ctx, id, input);
  }

  @FieldResolver(() => Client)
  client(@Root() shop: Shop, @Ctx() ctx: RequestContext): Promise<Client | null> {
    return ctx.loaders.byId(Client).load(shop.clientId);
  }

  @FieldResolver(() => ProductConnection)
  products(@Root() shop: Shop, @Args() page: ForwardPageArgs, @Info() info: GraphQLResolveInfo, @Ctx() ctx: RequestContext): Promise<Connection<Product>> {
    return this.productService.forShop(ctx, shop.id, withNodeFields(page, info));
  }

  @FieldResolver(() => CampaignConnection)
  campaigns(
    @Root() shop: Shop,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Campaign>> {
    return this.campaignService.forParent(ctx, 'shop', shop.id, withNodeFields(page, info), filter);
  }
}

// What the nested lists read of a shop: its id (see withNodeFields).
declareFieldNeeds('Shop', { products: ['id'], campaigns: ['id'] });
