import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Role } from '../common/role';

/**
 * One request's work against the database: one pooled connection on which the caller's agency
 * is set (`app.agency_id`, which the row-level security policies of every tenant table compare
 * `agency_id` with — the second wall behind the services' filters).
 *
 * The transaction model (the README's "Transactions" says the same for users):
 * - Reads run outside any transaction, each statement on its own (PostgreSQL's READ COMMITTED
 *   gives each statement its own snapshot, so a read transaction would add nothing but a BEGIN
 *   and a COMMIT round trip per request). The agency is set on the connection for the session
 *   (`set_config(…, false)`) in the same round trip that re-reads the signed-in member.
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
   * member's row comes back in the same round trip (every request re-reads it, so deactivation
   * bites at once).
   */
  static async open(db: DataSource, agencyId: string, memberId?: string): Promise<TenantScope> {
    if (!UUID.test(agencyId) || (memberId !== undefined && !UUID.test(memberId))) throw new Error('Agency and member ids must be uuids');
    const runner = await connectForTenant(db);
    const client = runner.databaseConnection as TaggedClient;
    const statements: string[] = [];
    // The ids are checked uuids: one simple-protocol message, one round trip, no parameters.
    if (client[AGENCY] !== agencyId) statements.push(`SELECT set_config('app.agency_id', '${agencyId}', false)`);
    if (memberId) statements.push(`SELECT id, agency_id, role, client_id, deactivated_at FROM members WHERE id = '${memberId}'`);
    try {
      if (statements.length > 0) {
        // Unknown until the statement is known to have run: a failure leaves it to be set again.
        client[AGENCY] = UNKNOWN;
        const sql = statements.join('; ');
        runner.connection.logger.logQuery(sql, [], runner);
        let results: unknown;
        try {
          results = await client.query(sql);
        } catch (err) {
          throw new QueryFailedError(sql, [], err as Error);
        }
        client[AGENCY] = agencyId;
        const last = (Array.isArray(results) ? results[results.length - 1] : results) as { rows: MemberRow[] };
        const row = memberId ? last.rows[0] : undefined;
        const scope = new TenantScope(runner, serializeQueries(runner));
        if (row) scope.member = { id: row.id, agencyId: row.agency_id, role: row.role, clientId: row.client_id, deactivatedAt: row.deactivated_at };
        return scope;
      }
      return new TenantScope(runner, serializeQueries(runner));
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
      await this.idle();
    } finally {
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The agency a pooled pg client was last set to act for (UNKNOWN after a failed attempt). */
const AGENCY = Symbol('app.agency_id');
const UNKNOWN = 'unknown';
type TaggedClient = { [AGENCY]?: string; query(sql: string): Promise<unknown> };

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
        await client.query(`SELECT set_config('app.agency_id', '', false)`);
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
 * their statements instead of handing `pg` a query while another is running on that client.
 * Returns a function that waits for the queue to drain.
 */
function serializeQueries(runner: QueryRunner): () => Promise<void> {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
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
