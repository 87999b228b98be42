import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequestContext } from '../../common/context';
import { NodeResolver } from '../../common/node';
import { EmailAddress } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';
import { Client } from '../client/client.entity';
import { Member } from './member.entity';
import { AuthPayload } from './member.inputs';
import { MemberService } from './member.service';

@Resolver(() => Member)
export class MemberResolver extends NodeResolver(Member) {
  private readonly members = new MemberService();

  @Mutation(() => AuthPayload, { description: 'Signs in; the only operation that needs no token.' })
  login(
    @Arg('email', () => EmailAddress) email: string,
    @Arg('password') password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return this.members.login(ctx, email, password);
  }

  @Query(() => Member, { nullable: true, description: 'The signed-in member (null for API keys).' })
  viewer(@Ctx() ctx: RequestContext): Promise<Member | null> {
    return this.members.viewer(ctx);
  }

  @FieldResolver(() => Agency)
  agency(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<Agency | null> {
    return ctx.loaders.byId(Agency, 'id').load(member.agencyId);
  }

  @FieldResolver(() => Client, { nullable: true, description: 'Set for CLIENT_VIEWER members: the one client they may see.' })
  client(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<Client | null> | null {
    return member.clientId ? ctx.loaders.byId(Client).load(member.clientId) : null;
  }
}
