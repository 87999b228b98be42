import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Info } from 'type-graphql';
import { Permission } from '../../common/access';
import { withCountHint } from '../../common/pagination';
import { RequestContext } from '../../common/context';
import { Money } from '../../common/money';
import { NodeResolver } from '../../common/node';
import { Connection, declareFieldNeeds, ForwardPageArgs, PageArgs, withNodeFields } from '../../common/pagination';
import { Agency } from '../agency/agency.entity';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignConnection, CampaignFilter } from '../campaign/campaign.inputs';
import { CampaignService } from '../campaign/campaign.service';
import { Member } from '../member/member.entity';
import { Shop } from '../shop/shop.entity';
import { ShopConnection } from '../shop/shop.inputs';
import { ShopService } from '../shop/shop.service';
import { Client } from './client.entity';
import { ClientConnection, ClientFilter, ClientOrder, CreateClientInput, UpdateClientInput } from './client.inputs';
import { ClientService } from './client.service';

@Resolver(() => Client)
export class ClientResolver extends NodeResolver(Client) {
  private readonly clientService = new ClientService();
  private readonly shopService = new ShopService();
  private readonly campaignService = new CampaignService();

  @Authorized(Permission.READ)
  @Query(() => ClientConnection)
  clients(
    @Args() page: PageArgs,
    @Arg('filter', () => ClientFilter, { nullable: true }) filter: ClientFilter | null,
    @Arg('orderBy', () => ClientOrder, { nullable: true, description: 'Defaults to CREATED_AT ascending.' }) orderBy: ClientOrder | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Client>> {
    return this.clientService.list(ctx, withCountHint(page, info), filter, orderBy);
  }

  @Authorized(Permission.READ)
  @Query(() => Client, { nullable: true, description: "A client by id; null when it does not exist or is not the caller's (like node)." })
  client(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Client | null> {
    return this.clientService.find(ctx, id);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Client)
  createClient(@Arg('input', () => CreateClientInput) input: CreateClientInput, @Ctx() ctx: RequestContext): Promise<Client> {
    return this.clientService.create(ctx, input);
  }

  @Authorized(Permission.WRITE)
  @Mutation(() => Client)
  updateClient(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClientInput) input: UpdateClientInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Client> {
    return this.clientService.update(ctx, id, input);
  }

  @FieldResolver(() => Agency)
  agency(@Root() client: Client, @Ctx() ctx: RequestContext): Promise<Agency | null> {
    return ctx.loaders.byId(Agency).load(client.agencyId);
  }

  @FieldResolver(() => Member, { nullable: true })
  accountManager(@Root() client: Client, @Ctx() ctx: RequestContext): Promise<Member | null> | null {
    return client.accountManagerId ? ctx.loaders.byId(Member).load(client.accountManagerId) : null;
  }

  @FieldResolver(() => Money, { nullable: true })
  monthlyGmvTarget(@Root() client: Client): Money | null {
    return Money.of(client.monthlyGmvTargetMinor, client.monthlyGmvTargetCurrency);
  }

  @FieldResolver(() => ShopConnection)
  shops(@Root() client: Client, @Args() page: ForwardPageArgs, @Info() info: GraphQLResolveInfo, @Ctx() ctx: RequestContext): Promise<Connection<Shop>> {
    return this.shopService.forClient(ctx, client.id, withNodeFields(page, info));
  }

  @FieldResolver(() => CampaignConnection)
  campaigns(
    @Root() client: Client,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Campaign>> {
    return this.campaignService.forParent(ctx, 'client', client.id, withNodeFields(page, info), filter);
  }
}

// What the nested lists read of a client: its id (see withNodeFields).
declareFieldNeeds('Client', { shops: ['id'], campaigns: ['id'] });
