import { lookUpOwner, memberViewer } from '../../common/auth';
import { EntityManager } from 'typeorm';
import { findOwned, RequestContext, Role } from '../../common/context';
import { decodeId } from '../../common/global-id';
import { isUniqueViolation } from '../../common/sql';
import { Client } from '../client/client.entity';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decoyHash, hashPassword, verifyPassword } from '../../common/passwords';
import { Connection, CREATED_ORDER, fetchConnection, ForwardPageArgs } from '../../common/pagination';
import { signToken } from '../../common/tokens';
import { Member } from './member.entity';
import { AuthPayload, ChangePasswordPayload, CreateMemberInput } from './member.inputs';
import { scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';

export class MemberService {
  /** Signs in by e-mail and password; one vague error for unknown e-mail and wrong password. */
  async login(ctx: RequestContext, email: string, password: string): Promise<AuthPayload> {
    const owner = await lookUpOwner(ctx.db, 'app_auth_member_owner', email.trim().toLowerCase());
    let member: Member | null = null;
    if (owner) {
      await ctx.enterAgency(owner.agencyId);
      member = await ctx.em.getRepository(Member).findOne({ where: { id: owner.id } });
    }
    const ok = member ? await verifyPassword(password, member.passwordHash) : await verifyPassword(password, await decoyHash());
    if (!member || !ok) throw AppError.unauthenticated('Wrong e-mail or password');
    if (member.deactivatedAt) throw AppError.unauthenticated('This member was deactivated');
    ctx.signedIn(memberViewer(member));
    // The audit entry commits on its own, like every mutation's (see TenantScope).
    await ctx.transaction(async () => member);
    const { token, expiresAt } = signToken(
      { memberId: member.id, agencyId: member.agencyId },
      ctx.config.jwtSecret,
      ctx.config.jwtTtlSeconds,
    );
    return { token, expiresAt, member };
  }

  /** The signed-in member. */
  viewer(ctx: RequestContext): Promise<Member | null> {
    if (!ctx.viewer?.memberId) return Promise.resolve(null);
    return ctx.loaders.byId(Member).load(ctx.viewer.memberId);
  }

  list(ctx: RequestContext, page: ForwardPageArgs): Promise<Connection<Member>> {
    return fetchConnection(
      {
        query: () => scopedQuery(ctx, Member, 'member'),
        keys: CREATED_ORDER,
      },
      page,
    );
  }

  /** Adds a member to the caller's agency (admins). */
  async create(ctx: RequestContext, input: CreateMemberInput): Promise<Member> {
    const errors = await validateInput(input, 'input');
    const clientId = this.clientIdFor(errors, input.role, input.clientId, 'input.clientId');
    errors.throwIfAny();
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    try {
      return await ctx.transaction(async (em) => {
        if (clientId) await findOwned(ctx, em, Client, clientId, 'input.clientId');
        return em.save(
          em.create(Member, { agencyId: ctx.agencyId, email, name: input.name.trim(), passwordHash, role: input.role, clientId, deactivatedAt: null }),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw AppError.conflict(`A member with e-mail ${email} already exists`, { 'input.email': ['already in use'] });
      throw err;
    }
  }

  /**
   * The signed-in member changes their own password, proving the current one first. The audit
   * entry names the member only (it never sees arguments). Tokens issued before stay valid
   * until they expire: they are not tied to the password.
   */
  async changePassword(ctx: RequestContext, currentPassword: string, newPassword: string): Promise<ChangePasswordPayload> {
    const memberId = ctx.viewer?.memberId;
    // OWN_ACCOUNT already keeps API keys out; this guards a future grant of it to one.
    if (!memberId) throw new AppError(ErrorCode.FORBIDDEN, 'Only a signed-in member can change their password');
    if (newPassword === currentPassword) throw AppError.badField('newPassword', 'must differ from the current password');
    const member = await ctx.transaction(async (em) => {
      const row = await findOwned(ctx, em, Member, memberId, 'id', true);
      if (!(await verifyPassword(currentPassword, row.passwordHash))) {
        throw AppError.badField('currentPassword', 'is not your current password');
      }
      // Hashed only once the current password is proven: a wrong guess costs one scrypt, not two.
      row.passwordHash = await hashPassword(newPassword);
      return em.save(row);
    });
    return { member };
  }

  /** Changes a member's role (and client, for CLIENT_VIEWER); takes effect on their next request. */
  async setRole(ctx: RequestContext, globalId: string, role: Role, clientGlobalId: string | null | undefined): Promise<Member> {
    const id = decodeId('Member', globalId);
    return ctx.transaction(async (em) => {
      const member = await findOwned(ctx, em, Member, id, 'id', true);
      this.assertNotSelf(ctx, member, 'change your own role');
      member.role = role;
      member.clientId = await this.clientFor(ctx, em, role, clientGlobalId, 'clientId');
      return em.save(member);
    });
  }

  /** Deactivates a member: their tokens stop working on their next request. */
  async deactivate(ctx: RequestContext, globalId: string): Promise<Member> {
    const id = decodeId('Member', globalId);
    return ctx.transaction(async (em) => {
      const member = await findOwned(ctx, em, Member, id, 'id', true);
      this.assertNotSelf(ctx, member, 'deactivate yourself');
      member.deactivatedAt ??= new Date();
      return em.save(member);
    });
  }

  /** An admin who locks themselves out may leave the agency with no admin at all. */
  private assertNotSelf(ctx: RequestContext, member: Member, action: string): void {
    if (member.id === ctx.viewer?.memberId) throw AppError.conflict(`You cannot ${action}; ask another admin`);
  }

  /** CLIENT_VIEWER members need a client of the agency; other roles see every client. */
  private async clientFor(ctx: RequestContext, em: EntityManager, role: Role, globalId: string | null | undefined, path: string) {
    const errors = new FieldErrorCollector();
    const clientId = this.clientIdFor(errors, role, globalId, path);
    errors.throwIfAny();
    return clientId && (await findOwned(ctx, em, Client, clientId, path)).id;
  }

  /** The decoded client id the role needs (null for other roles), or a problem collected at `path`. */
  private clientIdFor(errors: FieldErrorCollector, role: Role, globalId: string | null | undefined, path: string): string | null {
    if (role !== Role.CLIENT_VIEWER) {
      if (globalId) errors.add(path, 'only CLIENT_VIEWER members belong to one client');
      return null;
    }
    if (!globalId) {
      errors.add(path, 'CLIENT_VIEWER members need the client they may see');
      return null;
    }
    return errors.attempt(() => decodeId('Client', globalId, path)) ?? null;
  }
}
