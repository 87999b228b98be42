import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import type { Role } from '../common/role';
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

  /** The member named at open(), read in the same round trip; null when absent or not asked for. */
  member: MemberIdentity | null = null;

  /**
   * Opens the request's connection and read transaction. With `memberId`, the signed-in member's
   * row comes back in the same round trip (every request re-reads it, so deactivation bites at once).
   */
  static async open(db: DataSource, agencyId: string, memberId?: string): Promise<TenantScope> {
    if (!UUID.test(agencyId) || (memberId !== undefined && !UUID.test(memberId))) throw new Error('Agency and member ids must be uuids');
    const runner = db.createQueryRunner();
    await runner.connect();
    const scope = new TenantScope(runner, agencyId);
    serializeQueries(runner, (sql) => {
      if (scope.state === 'read' && !SELECT.test(sql)) scope.readWrote = true;
    });
    try {
      const results = await scope.beginRead(memberId);
      const row = (memberId ? results[2]?.rows[0] : undefined) as MemberRow | undefined;
      if (row) scope.member = { id: row.id, agencyId: row.agency_id, role: row.role, clientId: row.client_id, deactivatedAt: row.deactivated_at };
      scope.state = 'read';
    } catch (err) {
      await runner.release();
      throw err;
    }
    return scope;
  }

  /** Whether the read transaction is open (run by hand, not through TypeORM's transaction calls). */
  private readOpen = false;

  /**
   * Whether the read transaction ran anything but SELECTs (an API key's lastUsedAt, say): then
   * its COMMIT is awaited before the response, like a write's. See `readOnly`.
   */
  private readWrote = false;

  /** Whether ending the read transaction cannot lose anything: no write is running or pending, and it only read. */
  get readOnly(): boolean {
    return this.state !== 'write' && !this.readWrote;
  }

  /**
   * BEGIN, the tenant setting (and the member) in one round trip. The hot path of every signed-in
   * request, so it talks to the pg client directly (simple protocol; the ids are checked uuids)
   * instead of through TypeORM's query wrapper; the statement is still logged.
   */
  private async beginRead(memberId?: string): Promise<Array<{ rows: Array<Record<string, unknown>> }>> {
    let sql = `START TRANSACTION; SELECT set_config('app.agency_id', '${this.agencyId}', true)`;
    if (memberId) sql += `; SELECT id, agency_id, role, client_id, deactivated_at FROM members WHERE id = '${memberId}'`;
    const results = await this.raw(sql);
    this.readOpen = true;
    this.readWrote = false;
    return results as Array<{ rows: Array<Record<string, unknown>> }>;
  }

  private async endRead(commit: boolean): Promise<void> {
    if (!this.readOpen) return;
    this.readOpen = false;
    await this.raw(commit ? 'COMMIT' : 'ROLLBACK');
  }

  private async raw(sql: string): Promise<unknown> {
    const client = (await this.runner.connect()) as { query(sql: string): Promise<unknown> };
    this.runner.connection.logger.logQuery(sql, [], this.runner);
    try {
      return await client.query(sql);
    } catch (err) {
      throw new QueryFailedError(sql, [], err as Error);
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
const SELECT = /^\s*SELECT\s/i;

/**
 * GraphQL resolves sibling fields concurrently, and they share the request's connection: queue
 * their statements instead of handing `pg` a query while another is running on that client.
 */
function serializeQueries(runner: QueryRunner, seen: (sql: string) => void): void {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    seen(args[0]);
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
}
