import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root, Info } from 'type-graphql';
import { Permission } from '../../common/access';
import { withCountHint } from '../../common/pagination';
import { RequestContext } from '../../common/context';
import { Connection, ForwardPageArgs } from '../../common/pagination';
import { NodeResolver } from '../../common/node';
import { Client } from '../client/client.entity';
import { ClientConnection, ClientFilter } from '../client/client.inputs';
import { ClientService } from '../client/client.service';
import { Member } from '../member/member.entity';
import { MemberConnection } from '../member/member.inputs';
import { MemberService } from '../member/member.service';
import { Agency } from './agency.entity';
import { AgencyService } from './agency.service';
import { AgencySettingsService } from './agency-settings.service';
import { AgencySettings, AgencySettingsInput } from './agency-settings.types';

@Resolver(() => Agency)
export class AgencyResolver extends NodeResolver(Agency) {
  private readonly agencies = new AgencyService();
  private readonly memberService = new MemberService();
  private readonly clientService = new ClientService();
  private readonly settingsService = new AgencySettingsService();

  @Authorized(Permission.READ)
  @Query(() => Agency, { description: "The caller's agency." })
  agency(@Ctx() ctx: RequestContext): Promise<Agency> {
    return this.agencies.current(ctx);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => Agency, { description: "Renames the caller's agency (admins only); the slug stays." })
  updateAgency(@Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<Agency> {
    return this.agencies.rename(ctx, name);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => AgencySettings, { description: "Changes the agency's settings (admins only); tiers are recomputed at once." })
  updateAgencySettings(@Arg('input', () => AgencySettingsInput) input: AgencySettingsInput, @Ctx() ctx: RequestContext): Promise<AgencySettings> {
    return this.settingsService.update(ctx, input);
  }

  // Admins and account managers (and WRITE-scoped API keys): the people who act on thresholds.
  @Authorized(Permission.ADMIN, Permission.WRITE)
  @FieldResolver(() => AgencySettings, { description: 'Health thresholds, tier thresholds and SLAs, defaults filled in. Admins and account managers only.' })
  settings(@Root() agency: Agency, @Ctx() ctx: RequestContext): Promise<AgencySettings> {
    return this.settingsService.read(ctx, agency);
  }

  @FieldResolver(() => MemberConnection)
  members(@Root() agency: Agency, @Args() page: ForwardPageArgs, @Ctx() ctx: RequestContext): Promise<Connection<Member>> {
    return this.memberService.list(ctx, page);
  }

  @FieldResolver(() => ClientConnection)
  clients(
    @Root() agency: Agency,
    @Args() page: ForwardPageArgs,
    @Arg('filter', () => ClientFilter, { nullable: true }) filter: ClientFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Client>> {
    return this.clientService.list(ctx, withCountHint(page, info), filter);
  }
}
