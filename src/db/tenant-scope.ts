import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { actAsAgency } from './tenant-setting';

/**
 * One request's work against the database: one connection, the caller's agency set
 * transaction-locally (`app.agency_id`, which the row-level security policies of every tenant
 * table compare `agency_id` with — the second wall behind the services' filters) in every
 * transaction it runs.
 *
 * The transaction model (the README's "Transactions" says the same for users):
 * - Reads run in a read transaction, opened with the scope, so the reads of one query see one
 *   consistent state. It is committed when the response is ready (it wrote nothing that matters).
 * - Each mutation (`write`) ends that read transaction and runs in a transaction of its own that
 *   COMMITS BEFORE its result is resolved; a new read transaction serves the reads after it. So
 *   nothing later in the request — a nested read failing or timing out, a sibling mutation
 *   failing, the client going away — can undo a write the response reports. A failed commit is
 *   that mutation's error.
 */
export class TenantScope {
  private state: 'read' | 'write' | 'between' | 'closed' = 'between';
  /** A close() that arrived while a write was running: applied when the write ends. */
  private pendingClose: boolean | null = null;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly agencyId: string,
  ) {}

  static async open(db: DataSource, agencyId: string): Promise<TenantScope> {
    if (!UUID.test(agencyId)) throw new Error('An agency id must be a uuid');
    const runner = db.createQueryRunner();
    await runner.connect();
    serializeQueries(runner);
    const scope = new TenantScope(runner, agencyId);
    try {
      await scope.beginRead();
      scope.state = 'read';
    } catch (err) {
      await runner.release();
      throw err;
    }
    return scope;
  }

  /** Whether the read transaction is open (run by hand, not through TypeORM's transaction calls). */
  private readOpen = false;

  /** BEGIN and the tenant setting in one round trip (simple protocol: the id is a checked uuid). */
  private async beginRead(): Promise<void> {
    await this.runner.query(`START TRANSACTION; SELECT set_config('app.agency_id', '${this.agencyId}', true)`);
    this.readOpen = true;
  }

  private async endRead(commit: boolean): Promise<void> {
    if (!this.readOpen) return;
    this.readOpen = false;
    await this.runner.query(commit ? 'COMMIT' : 'ROLLBACK');
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
    // The read transaction wrote nothing: committing it (a rollback, if a read failed) loses nothing.
    if (this.state === 'read') await this.endRead(true);
    this.state = 'write';
    try {
      return await this.runner.manager.transaction(async (em) => {
        await actAsAgency(em, this.agencyId);
        return work(em);
      });
    } finally {
      // The state stays 'write' until the next read transaction is open, so a close() arriving
      // meanwhile waits for it. If BEGIN fails (connection lost), the reads after it fail on
      // their own: the committed write is still reported.
      if (this.pendingClose === null) await this.beginRead().catch(() => undefined);
      const pending = this.pendingClose;
      this.state = pending === null && this.readOpen ? 'read' : 'between';
      if (pending !== null) await this.close(pending);
    }
  }

  /** Ends the read transaction and returns the connection; safe to call more than once. */
  async close(commit: boolean): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'write') {
      // Never cut a write short from outside: it finishes (and commits) first.
      this.pendingClose = commit;
      return;
    }
    this.state = 'closed';
    try {
      await this.endRead(commit);
    } finally {
      await this.runner.release();
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GraphQL resolves sibling fields concurrently, and they share the request's connection: queue
 * their statements instead of handing `pg` a query while another is running on that client.
 */
function serializeQueries(runner: QueryRunner): void {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
}
