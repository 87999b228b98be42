import { memberViewer } from '../../common/auth';
import { DataSource, EntityManager } from 'typeorm';
import { actAsAgency } from '../../db/tenant-setting';
import { findOwned, RequestContext, Role } from '../../common/context';
import { decodeId, parseGlobalId } from '../../common/global-id';
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

/**
 * How many memberships of one address a login without `agency` tries. Each costs one scrypt
 * (~120 ms of CPU here) on every such login, found or not, so it stays a handful; a person in
 * more agencies passes `agency` for the newer ones.
 */
export const LOGIN_CANDIDATES = 3;

/** The agency and member of no one: the padding reads of a login find nothing. */
const NO_ONE = '00000000-0000-0000-0000-000000000000';

export class MemberService {
  /**
   * Signs in by e-mail and password. An address may belong to members of several agencies
   * (each with its own password), so the password is tried against each membership of the
   * address (LOGIN_CANDIDATES at most), or against the one in `agency` (its slug or id) when
   * given. It signs in where exactly one active membership matches; several matches need
   * `agency`. Unknown e-mail, unknown agency and wrong password are one vague error, and take
   * the same time: always the same number of hashes (decoys for missing memberships) and reads.
   */
  async login(ctx: RequestContext, email: string, password: string, agency?: string | null): Promise<AuthPayload> {
    const agencyKey = agency == null ? null : this.agencyKey(agency);
    const slots = agencyKey ? 1 : LOGIN_CANDIDATES;
    const candidates = await this.memberships(ctx.db, email.trim().toLowerCase(), agencyKey, slots);
    const decoy = await decoyHash();
    const checks = await Promise.all(Array.from({ length: slots }, (_, i) => verifyPassword(password, candidates[i]?.passwordHash ?? decoy)));
    const matches = candidates.filter((_, i) => checks[i]);
    const active = matches.filter((m) => !m.deactivatedAt);
    if (active.length > 1) {
      // Only someone who holds the password of every one of these memberships learns their slugs.
      const slugs = active.map((m) => m.agency?.slug).join(', ');
      throw AppError.badField('agency', `this e-mail and password sign in to several agencies (${slugs}): pass the agency's slug or id`);
    }
    const member = active[0];
    if (!member) throw AppError.unauthenticated(matches.length ? 'This member was deactivated' : 'Wrong e-mail or password');
    await ctx.enterAgency(member.agencyId);
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

  /** login's `agency`: an Agency id (decoded to its uuid) or a slug. */
  private agencyKey(agency: string): string {
    const trimmed = agency.trim();
    if (!trimmed) throw AppError.badField('agency', "must be the agency's slug or id");
    const id = parseGlobalId(trimmed);
    return id?.typeName === 'Agency' ? id.key : trimmed.toLowerCase();
  }

  /**
   * The memberships of an address, with their agencies. Row-level security hides them until
   * the agency is known: a SECURITY DEFINER function names them (ids only), and each row is
   * read in its own agency's scope. Every one of the `slots` reads runs (empty ones for the
   * agency of no one), so the work does not depend on how many memberships exist.
   */
  private memberships(db: DataSource, email: string, agencyKey: string | null, slots: number): Promise<Member[]> {
    return db.transaction(async (em) => {
      const owners: Array<{ id: string; agency_id: string }> = await em.query('SELECT id, agency_id FROM app_auth_member_candidates($1, $2, $3)', [
        email,
        agencyKey,
        slots,
      ]);
      const found: Member[] = [];
      for (let i = 0; i < slots; i++) {
        const owner = owners[i] ?? { id: NO_ONE, agency_id: NO_ONE };
        await actAsAgency(em, owner.agency_id);
        // One statement whether found or not (findOne with a relation adds a second when found).
        const member = await em
          .createQueryBuilder(Member, 'member')
          .innerJoinAndSelect('member.agency', 'agency')
          .where('member.id = :id AND member.agencyId = :agencyId', { id: owner.id, agencyId: owner.agency_id })
          .getOne();
        if (member) found.push(member);
      }
      return found;
    });
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
      // Unique per agency only: an address used in another agency is no conflict (and no clue).
      if (isUniqueViolation(err)) throw AppError.conflict(`A member of this agency has the e-mail ${email}`, { 'input.email': ['already in use in this agency'] });
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
