import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext, Role } from '../../common/context';
import { NodeResolver } from '../../common/node';
import { EmailAddress } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';
import { Client } from '../client/client.entity';
import { Member } from './member.entity';
import { AuthPayload, ChangePasswordArgs, ChangePasswordPayload, CreateMemberInput } from './member.inputs';
import { MemberService } from './member.service';

@Resolver(() => Member)
export class MemberResolver extends NodeResolver(Member) {
  private readonly members = new MemberService();

  @Mutation(() => AuthPayload, {
    description:
      'Signs in; the only operation that needs no token. A person may be a member of several agencies, with a password per agency: ' +
      'the password picks the agency, and `agency` is needed only when it matches in several (BAD_USER_INPUT on `agency`).',
  })
  login(
    @Arg('email', () => EmailAddress) email: string,
    @Arg('password') password: string,
    @Ctx() ctx: RequestContext,
    @Arg('agency', () => String, {
      nullable: true,
      description: "The agency's slug or id: signs in to that agency only. Needed when the same e-mail and password sign in to several agencies.",
    })
    agency?: string | null,
  ): Promise<AuthPayload> {
    return this.members.login(ctx, email, password, agency);
  }

  @Authorized()
  @Query(() => Member, { nullable: true, description: 'The signed-in member (null for API keys).' })
  viewer(@Ctx() ctx: RequestContext): Promise<Member | null> {
    return this.members.viewer(ctx);
  }

  @Authorized(Permission.OWN_ACCOUNT)
  @Mutation(() => ChangePasswordPayload, {
    description:
      "Changes the signed-in member's password, in this agency only (a person in several agencies has a password in each). A wrong currentPassword is BAD_USER_INPUT on currentPassword; API keys get FORBIDDEN.",
  })
  changePassword(@Args() { currentPassword, newPassword }: ChangePasswordArgs, @Ctx() ctx: RequestContext): Promise<ChangePasswordPayload> {
    return this.members.changePassword(ctx, currentPassword, newPassword);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => Member, { description: 'Adds a member with a role (admins only).' })
  createMember(@Arg('input', () => CreateMemberInput) input: CreateMemberInput, @Ctx() ctx: RequestContext): Promise<Member> {
    return this.members.create(ctx, input);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => Member, { description: "Changes a member's role; clientId is required for CLIENT_VIEWER (admins only)." })
  setMemberRole(
    @Arg('id', () => ID) id: string,
    @Arg('role', () => Role) role: Role,
    @Arg('clientId', () => ID, { nullable: true }) clientId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Member> {
    return this.members.setRole(ctx, id, role, clientId);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => Member, { description: "Deactivates a member; their tokens stop working at once (admins only)." })
  deactivateMember(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Member> {
    return this.members.deactivate(ctx, id);
  }

  @FieldResolver(() => Agency)
  agency(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<Agency | null> {
    return ctx.loaders.byId(Agency).load(member.agencyId);
  }

  @FieldResolver(() => Client, { nullable: true, description: 'Set for CLIENT_VIEWER members: the one client they may see.' })
  client(@Root() member: Member, @Ctx() ctx: RequestContext): Promise<Client | null> | null {
    return member.clientId ? ctx.loaders.byId(Client).load(member.clientId) : null;
  }
}
