import { RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { decoyHash, verifyPassword } from '../../common/passwords';
import { Connection, CREATED_ORDER, fetchConnection, ForwardPageArgs } from '../../common/pagination';
import { signToken } from '../../common/tokens';
import { Member } from './member.entity';
import { AuthPayload } from './member.inputs';

export class MemberService {
  /** Signs in by e-mail and password; one vague error for unknown e-mail and wrong password. */
  async login(ctx: RequestContext, email: string, password: string): Promise<AuthPayload> {
    const member = await ctx.em.getRepository(Member).findOne({ where: { email: email.trim().toLowerCase() } });
    const ok = member ? await verifyPassword(password, member.passwordHash) : await verifyPassword(password, await decoyHash());
    if (!member || !ok) throw AppError.unauthenticated('Wrong e-mail or password');
    ctx.signedIn({ memberId: member.id, agencyId: member.agencyId, role: member.role, clientId: member.clientId });
    const { token, expiresAt } = signToken(
      { memberId: member.id, agencyId: member.agencyId },
      ctx.config.jwtSecret,
      ctx.config.jwtTtlSeconds,
    );
    return { token, expiresAt, member };
  }

  /** The signed-in member. */
  viewer(ctx: RequestContext): Promise<Member | null> {
    if (!ctx.viewer) return Promise.resolve(null);
    return ctx.loaders.byId(Member).load(ctx.viewer.memberId);
  }

  list(ctx: RequestContext, page: ForwardPageArgs): Promise<Connection<Member>> {
    return fetchConnection(
      {
        query: () => ctx.em.getRepository(Member).createQueryBuilder('member').where('member.agencyId = :agencyId', { agencyId: ctx.agencyId }),
        keys: CREATED_ORDER,
      },
      page,
    );
  }
}
