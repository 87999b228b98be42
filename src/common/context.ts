import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../config';
import { AppError } from './errors';
import { Loaders } from './loaders';

export enum Role {
  AGENCY_ADMIN = 'AGENCY_ADMIN',
  SENIOR_ACCOUNT_MANAGER = 'SENIOR_ACCOUNT_MANAGER',
  ACCOUNT_MANAGER = 'ACCOUNT_MANAGER',
  ANALYST = 'ANALYST',
  CLIENT_VIEWER = 'CLIENT_VIEWER',
}

/** Who is calling, established once per request from the bearer token. */
export interface Viewer {
  memberId: string;
  agencyId: string;
  role: Role;
  /** The one client a CLIENT_VIEWER may see. */
  clientId: string | null;
}

/** Everything below a resolver takes this first: caller, agency, database, loaders. */
export class RequestContext {
  readonly loaders = new Loaders(this);

  constructor(
    readonly db: DataSource,
    readonly config: Config,
    viewer: Viewer | null,
    /** Why a bearer token was refused, to say so when an operation needs one. */
    readonly authProblem: string | null = null,
    readonly requestId: string = randomUUID(),
  ) {
    this.caller = { viewer };
  }

  /**
   * Held in an object of its own because Apollo hands resolvers a shallow copy of the context:
   * a login must be seen by the copy and by the loaders, which keep the original.
   */
  private readonly caller: { viewer: Viewer | null };

  get viewer(): Viewer | null {
    return this.caller.viewer;
  }

  /** After a successful login the rest of the request (the payload's fields) acts as that member. */
  signedIn(viewer: Viewer): void {
    this.caller.viewer = viewer;
  }

  /** The caller's agency; every tenant query filters by it. */
  get agencyId(): string {
    if (!this.viewer) throw AppError.unauthenticated(this.authProblem ?? undefined);
    return this.viewer.agencyId;
  }

  get em(): EntityManager {
    return this.db.manager;
  }

  /**
   * Runs writes that belong together in one transaction. Inside it use only `em`: with the
   * embedded database there is one connection, and a query outside the transaction would wait
   * for it forever. Loader caches are dropped afterwards so reads see the new rows.
   */
  async transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
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
  const qb = em
    .getRepository(entity)
    .createQueryBuilder('row')
    .where('row.id = :id AND row.agencyId = :agencyId', { id, agencyId: ctx.agencyId });
  if (lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw AppError.notFound(entity.name, path);
  return row;
}
