import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import { MemberIdentity, TenantScope } from '../db/tenant-scope';
import { AuditService } from '../modules/audit/audit.service';
import type { ApiScope, Permission } from './access';
import { connectionFailureRetryAfter } from './error-formatting';
import { AppError } from './errors';
import { Loaders } from './loaders';
import { Role } from './role';
import { scopedQuery } from './tenancy';

const audit = new AuditService();

export { Role };

/** Who is calling, established once per request from the bearer token: a member or an API key. */
export interface Viewer {
  agencyId: string;
  /** Set for members; null for API keys. */
  memberId: string | null;
  role: Role | null;
  /** Set for API keys. */
  apiKeyId: string | null;
  scopes: readonly ApiScope[];
  /** The one client a CLIENT_VIEWER may see. */
  clientId: string | null;
  permissions: ReadonlySet<Permission>;
}

/** Everything below a resolver takes this first: caller, agency, database, loaders. */
export class RequestContext {
  readonly loaders = new Loaders(this);

  /** The caller's address, for limiting anonymous requests (login attempts). */
  remoteAddress: string | null = null;

  /** Filled in for the request's log line (operation name, error codes); absent outside HTTP. */
  requestLog?: { operationName?: string | null; errorCodes?: string[] };

  constructor(
    readonly db: DataSource,
    readonly config: Config,
    viewer: Viewer | null,
    /** Why a bearer token was refused, to say so when an operation needs one. */
    readonly authProblem: string | null = null,
    readonly requestId: string = randomUUID(),
  ) {
    this.state = { viewer, operation: null, scope: null };
  }

  /**
   * Held in an object of its own because Apollo hands resolvers a shallow copy of the context:
   * a login must be seen by the copy and by the loaders, which keep the original.
   */
  private readonly state: { viewer: Viewer | null; operation: string | null; scope: TenantScope | null };

  get viewer(): Viewer | null {
    return this.state.viewer;
  }

  /** After a successful login the rest of the request (the payload's fields) acts as that member. */
  signedIn(viewer: Viewer): void {
    this.state.viewer = viewer;
  }

  /** The mutation being resolved, for the audit log. */
  get operation(): string | null {
    return this.state.operation;
  }

  beginMutation(fieldName: string): void {
    this.state.operation = fieldName;
  }

  /** The caller's agency; every tenant query filters by it. */
  get agencyId(): string {
    if (!this.viewer) throw AppError.unauthenticated(this.authProblem ?? undefined);
    return this.viewer.agencyId;
  }

  /** The client a CLIENT_VIEWER is confined to; null for everyone else. */
  get clientScope(): string | null {
    return this.viewer?.role === Role.CLIENT_VIEWER ? (this.viewer.clientId ?? '00000000-0000-0000-0000-000000000000') : null;
  }

  /** Whether the caller may see personal data of creators (e-mail addresses). */
  get seesPersonalData(): boolean {
    return this.viewer !== null && this.viewer.role !== Role.CLIENT_VIEWER;
  }

  /** The request's connection once it acts for an agency (see TenantScope); the pool before. */
  get em(): EntityManager {
    return this.state.scope?.manager ?? this.db.manager;
  }

  /** Takes the request's connection, with `app.agency_id` set on it. */
  async enterAgency(agencyId: string): Promise<void> {
    this.state.scope ??= await TenantScope.open(this.db, agencyId);
  }

  /** Opens the request's scope for the API key with this prefix; its id, or null when no key has it. */
  async enterWithApiKey(prefix: string): Promise<{ keyId: string; agencyId: string } | null> {
    if (this.state.scope) throw new Error('The request already acts for an agency');
    const opened = await TenantScope.openForApiKey(this.db, prefix);
    if (!opened) return null;
    this.state.scope = opened.scope;
    return { keyId: opened.keyId, agencyId: opened.agencyId };
  }

  /**
   * Opens the request's scope as a member this node has seen, without waiting for the database
   * to confirm it (TenantScope.openSpeculative): `memberConfirmed()` tells, before anything is
   * answered, whether it was the member expected.
   */
  async enterAgencyAsSeen(expected: MemberIdentity): Promise<void> {
    if (this.state.scope) throw new Error('The request already acts for an agency');
    const scope = await TenantScope.openSpeculative(this.db, expected);
    this.state.scope = scope;
    this.confirmation = scope.verification.then((same) => ({ same, member: scope.member }));
  }

  private confirmation: Promise<{ same: boolean; member: MemberIdentity | null }> | null = null;

  /**
   * Whether the member this request acted as was confirmed by the database (always true unless
   * the scope was opened by enterAgencyAsSeen), with the row read.
   */
  memberConfirmed(): Promise<{ same: boolean; member: MemberIdentity | null }> | null {
    return this.confirmation;
  }

  /** Opens the request's scope as a member: their row comes back in the same round trip (null if gone). */
  async enterAgencyAs(agencyId: string, memberId: string): Promise<MemberIdentity | null> {
    if (this.state.scope) throw new Error('The request already acts for an agency');
    this.state.scope = await TenantScope.open(this.db, agencyId, memberId);
    return this.state.scope.member;
  }

  /** Returns the request's connection once its statements have settled (writes have committed already). */
  async finish(commit: boolean): Promise<void> {
    const scope = this.state.scope;
    this.state.scope = null;
    try {
      await scope?.close(commit);
    } catch (err) {
      // Reads have nothing to commit, so a connection lost at the end loses nothing: the response
      // stands (a resolver that hit the loss already reports SERVICE_UNAVAILABLE).
      if (connectionFailureRetryAfter(err) === null) throw err;
    }
  }

  /**
   * Runs writes that belong together in one transaction, committed before this resolves (see
   * TenantScope for the transaction model). Inside it use only `em`: with the embedded database
   * there is one connection, and a query outside the transaction would wait for it forever. The
   * audit entry is written in the same transaction. Loader caches are dropped afterwards so
   * reads see the new rows.
   */
  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    await this.enterAgency(this.agencyId);
    try {
      return await this.state.scope!.write(async (em) => {
        const result = await work(em);
        await audit.record(this, em, result);
        return result;
      });
    } finally {
      this.loaders.clearAll();
    }
  }
}

/**
 * A row of the caller's agency by primary key, optionally locked for update; NOT_FOUND
 * (naming the input `path`) when it does not exist or belongs to another agency.
 */
export async function findOwned<T extends { id: string; agencyId: string }>(
  ctx: RequestContext,
  em: EntityManager,
  entity: new () => T,
  id: string,
  path = 'id',
  lock = false,
): Promise<T> {
  const qb = scopedQuery(ctx, entity, 'row', em).andWhere('"row"."id" = :id', { id });
  if (lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw AppError.notFound(entity.name, path);
  return row;
}
