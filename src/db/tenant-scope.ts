import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Role } from '../common/role';
import { usePreparedStatements } from './prepared-statements';

/**
 * One request's work against the database: one pooled connection on which the caller's agency
 * is set (`app.agency_id`, which the row-level security policies of every tenant table compare
 * `agency_id` with — the second wall behind the services' filters).
 *
 * The transaction model (the README's "Transactions" says the same for users):
 * - Reads run outside any transaction, each statement on its own (PostgreSQL's READ COMMITTED
 *   gives each statement its own snapshot, so a read transaction would add nothing but a BEGIN
 *   and a COMMIT round trip per request). The agency is set on the connection for the session
 *   (`set_config(…, false)`) by the statement that re-reads the signed-in member (`app_enter`).
 * - Each mutation (`write`) runs in a transaction of its own that COMMITS BEFORE its result is
 *   resolved. So nothing later in the request — a nested read failing or timing out, a sibling
 *   mutation failing, the client going away — can undo a write the response reports. A failed
 *   commit is that mutation's error.
 * - A connection keeps its agency when it goes back to the pool: the next scope sets its own
 *   (skipping the statement when it is the same agency), and anything else that takes the
 *   connection from the pool (sign-in look-ups, readiness, CLIs) gets it reset to no agency
 *   first (`guardPool`), so only a scope ever acts for an agency.
 */
export class TenantScope {
  private state: 'read' | 'write' | 'closed' = 'read';
  /** A close() that arrived while a write was running: applied when the write ends. */
  private pendingClose: boolean | null = null;

  private constructor(
    private readonly runner: QueryRunner,
    /** Resolves when every statement queued on the connection so far has settled. */
    private readonly idle: () => Promise<void>,
  ) {}

  /** The member named at open(), read in the same round trip; null when absent or not asked for. */
  member: MemberIdentity | null = null;

  /**
   * Takes a connection for the request and sets the agency on it. With `memberId`, the signed-in
   * member's row comes back from the same statement (every request re-reads it, so deactivation
   * bites at once); without, a connection that acts for the agency already needs no statement.
   */
  static async open(db: DataSource, agencyId: string, memberId?: string): Promise<TenantScope> {
    if (!UUID.test(agencyId) || (memberId !== undefined && !UUID.test(memberId))) throw new Error('Agency and member ids must be uuids');
    const runner = await connectForTenant(db);
    const client = runner.databaseConnection as TaggedClient;
    try {
      let row: MemberRow | undefined;
      if (memberId) {
        row = (await run(runner, client, ENTER, [agencyId, memberId], true)).rows[0];
      } else if (client[AGENCY] !== agencyId) {
        await run(runner, client, SET_AGENCY, [agencyId], true);
      }
      client[AGENCY] = agencyId;
      const scope = new TenantScope(runner, serializeQueries(runner));
      if (row) scope.member = identityOf(row);
      return scope;
    } catch (err) {
      await runner.release();
      throw err;
    }
  }

  /**
   * open() for a member whose identity this node has seen (`expected`), without waiting for it:
   * the statement that sets the agency and re-reads the member goes out in the same write as the
   * request's first query (pg's pipeline mode), saving a round trip. `verification` resolves
   * whether the member is still exactly `expected`; until it has, nothing may be written
   * (write() waits for it) or answered (the caller waits for it, and runs the request again the
   * usual way when it is false). See src/graphql-post.ts.
   */
  static async openSpeculative(db: DataSource, expected: MemberIdentity): Promise<TenantScope> {
    if (!UUID.test(expected.agencyId) || !UUID.test(expected.id)) throw new Error('Agency and member ids must be uuids');
    const runner = await connectForTenant(db);
    const client = runner.databaseConnection as TaggedClient;
    // Written together with the statements the request sends in this turn of the event loop
    // (see usePreparedStatements); its reads may then be in flight together (serializeQueries).
    client.pipeline = true;
    const entered = run(runner, client, ENTER, [expected.agencyId, expected.id], true);
    const scope = new TenantScope(runner, serializeQueries(runner));
    scope.speculative = true;
    scope.verification = entered.then(
      ({ rows }) => {
        client[AGENCY] = expected.agencyId;
        const row = rows[0];
        scope.member = row ? identityOf(row) : null;
        return sameMember(scope.member, expected);
      },
      () => false,
    );
    return scope;
  }

  /**
   * Resolves whether the member read by openSpeculative() is the one expected (always true for
   * a scope opened the usual way).
   */
  verification: Promise<boolean> = Promise.resolve(true);

  /** Opened by openSpeculative() and not yet known to be right. */
  private speculative = false;

  /**
   * open() for an API key: its owner is looked up on the same connection first (through the
   * SECURITY DEFINER look-up of migration RowLevelSecurity, which returns ids only), so a
   * connection that acts for the key's agency already needs no second statement. Null when no
   * key has this prefix.
   */
  static async openForApiKey(db: DataSource, prefix: string): Promise<{ scope: TenantScope; keyId: string; agencyId: string } | null> {
    const runner = await connectForTenant(db);
    const client = runner.databaseConnection as TaggedClient;
    try {
      const owner = (await run(runner, client, API_KEY_OWNER, [prefix])).rows[0] as unknown as { id: string; agency_id: string } | undefined;
      if (!owner) {
        await runner.release();
        return null;
      }
      if (client[AGENCY] !== owner.agency_id) await run(runner, client, SET_AGENCY, [owner.agency_id], true);
      client[AGENCY] = owner.agency_id;
      return { scope: new TenantScope(runner, serializeQueries(runner)), keyId: owner.id, agencyId: owner.agency_id };
    } catch (err) {
      await runner.release();
      throw err;
    }
  }

  /** Runs every read of the request. */
  get manager(): EntityManager {
    return this.runner.manager;
  }

  /**
   * Runs `work` in a transaction of its own, committed before this resolves. Called again from
   * inside `work`, it nests as a savepoint of the same transaction.
   */
  async write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.state === 'write') return this.runner.manager.transaction(work);
    if (this.state === 'closed') throw new Error('The request has ended');
    // A speculative scope writes nothing before the member is known to be the one expected.
    if (this.speculative) {
      if (!(await this.verification)) throw new MemberChangedError();
      this.speculative = false;
      return this.write(work);
    }
    this.state = 'write';
    try {
      // The agency is set on the connection already; the transaction keeps it.
      return await this.runner.manager.transaction(work);
    } finally {
      const pending = this.pendingClose;
      this.state = 'read';
      if (pending !== null) await this.close(pending);
    }
  }

  /**
   * Returns the connection once the statements queued on it have settled; safe to call more
   * than once. A write still running finishes (and commits) first. `commit` is kept for the
   * callers' sake: reads have nothing to commit or roll back.
   */
  async close(commit: boolean): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'write') {
      // Never cut a write short from outside: it finishes (and commits) first.
      this.pendingClose = commit;
      return;
    }
    this.state = 'closed';
    try {
      await this.verification;
      await this.idle();
    } finally {
      // Nothing is in flight now: the connection goes back to the pool in pg's usual mode.
      (this.runner as unknown as { databaseConnection: TaggedClient }).databaseConnection.pipeline = false;
      await this.runner.release();
    }
  }
}

interface MemberRow {
  id: string;
  agency_id: string;
  role: Role;
  client_id: string | null;
  deactivated_at: Date | null;
}

/** What a request needs of its signed-in member. */
export interface MemberIdentity {
  id: string;
  agencyId: string;
  role: Role;
  clientId: string | null;
  deactivatedAt: Date | null;
}

/** Sets the agency for the session and re-reads the member (migration RequestEntry), in one prepared statement. */
const ENTER = { name: 'ag_enter', text: 'SELECT id, agency_id, role, client_id, deactivated_at FROM app_enter($1, $2)' };
const SET_AGENCY = { name: 'ag_set_agency', text: `SELECT set_config('app.agency_id', $1, false)` };

const API_KEY_OWNER = { name: 'ag_api_key_owner', text: 'SELECT id, agency_id FROM app_auth_api_key_owner($1)' };

/** Runs a scope's opening statement straight on the pg client (the runner's queue is not set up yet), logged like any other. */
async function run(
  runner: QueryRunner,
  client: TaggedClient,
  statement: { name: string; text: string },
  values: string[],
  setsAgency = false,
): Promise<{ rows: MemberRow[] }> {
  // Unknown until the statement has run: a failure leaves the agency to be set again.
  if (setsAgency) client[AGENCY] = UNKNOWN;
  runner.connection.logger.logQuery(statement.text, values, runner);
  try {
    return await client.query({ ...statement, values });
  } catch (err) {
    throw new QueryFailedError(statement.text, values, err as Error);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The agency a pooled pg client was last set to act for (UNKNOWN after a failed attempt). */
const AGENCY = Symbol('app.agency_id');
const UNKNOWN = 'unknown';
type TaggedClient = {
  [AGENCY]?: string;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: MemberRow[] }>;
  /** pg ≥ 8.23: send queries without waiting for the previous answer. */
  pipeline: boolean;
  connection: { stream: NodeJS.WritableStream & { cork(): void; uncork(): void } };
};

/** A speculative scope's member turned out other than expected (changed, deactivated or gone). */
export class MemberChangedError extends Error {
  constructor() {
    super('The signed-in member changed since this node last saw them; the request runs again');
  }
}

function identityOf(row: MemberRow): MemberIdentity {
  return { id: row.id, agencyId: row.agency_id, role: row.role, clientId: row.client_id, deactivatedAt: row.deactivated_at };
}

function sameMember(found: MemberIdentity | null, expected: MemberIdentity): boolean {
  return (
    found !== null &&
    found.agencyId === expected.agencyId &&
    found.role === expected.role &&
    found.clientId === expected.clientId &&
    found.deactivatedAt === null &&
    expected.deactivatedAt === null
  );
}

/** The pool's own acquire, kept by guardPool for scopes (which set their agency themselves). */
const TENANT_ACQUIRE = Symbol('tenant acquire');
type GuardedDriver = PostgresDriver & { [TENANT_ACQUIRE]?: () => Promise<[TaggedClient, (err?: unknown) => void]> };

/**
 * Makes every connection that leaves the pool for anything but a scope act for no agency: one
 * that a scope set is reset first (one statement, only on such a hand-over). Installed on the
 * data source at its first scope; idempotent.
 */
function guardPool(db: DataSource): GuardedDriver {
  const driver = db.driver as GuardedDriver;
  if (driver[TENANT_ACQUIRE]) return driver;
  const acquire = driver.obtainMasterConnection.bind(driver) as () => Promise<[TaggedClient, (err?: unknown) => void]>;
  driver[TENANT_ACQUIRE] = acquire;
  driver.obtainMasterConnection = async () => {
    const [client, release] = await acquire();
    if (client[AGENCY] !== undefined) {
      try {
        await client.query({ ...SET_AGENCY, values: [''] });
        delete client[AGENCY];
      } catch (err) {
        release(err); // a connection in an unknown state is not reused
        throw err;
      }
    }
    return [client, release];
  };
  return driver;
}

/**
 * A query runner on a connection taken from the pool without the reset (the scope sets its own
 * agency next). As PostgresQueryRunner.connect does, minus the hand-over guard.
 */
async function connectForTenant(db: DataSource): Promise<QueryRunner & { databaseConnection: unknown }> {
  const driver = guardPool(db);
  const [client, release] = await driver[TENANT_ACQUIRE]!();
  usePreparedStatements(client as unknown as Parameters<typeof usePreparedStatements>[0]);
  const runner = db.createQueryRunner() as QueryRunner & {
    databaseConnection: unknown;
    releaseCallback?: (err?: unknown) => void;
  };
  const onError = (err: unknown) => void (runner as unknown as { releasePostgresConnection(err: unknown): Promise<void> }).releasePostgresConnection(err);
  (client as unknown as NodeJS.EventEmitter).on('error', onError);
  runner.databaseConnection = client;
  runner.releaseCallback = (err) => {
    (client as unknown as NodeJS.EventEmitter).removeListener('error', onError);
    release(err);
  };
  driver.connectedQueryRunners.push(runner);
  return runner;
}

/**
 * GraphQL resolves sibling fields concurrently, and they share the request's connection: queue
 * their statements instead of handing `pg` a query while another is running on that client
 * (unless the client pipelines them, see above).
 * Returns a function that waits for the queue to drain.
 */
function serializeQueries(runner: QueryRunner): () => Promise<void> {
  const query = runner.query.bind(runner);
  const client = (runner as unknown as { databaseConnection: { pipeline?: boolean } }).databaseConnection;
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    // In pipeline mode (openSpeculative) reads outside a transaction go out at once, each with
    // its own Sync: pg keeps their order, and one failing does not touch the others.
    if (client.pipeline && !runner.isTransactionActive) {
      const sent = query(...args);
      const before = tail;
      tail = Promise.all([before, sent.catch(() => undefined)]);
      return sent;
    }
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
  return async () => {
    let seen: Promise<unknown>;
    do {
      seen = tail;
      await seen;
    } while (seen !== tail);
  };
}
