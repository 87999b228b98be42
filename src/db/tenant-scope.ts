import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { actAsAgency } from './tenant-setting';

/**
 * One request's work against the database: one connection, one transaction, and the caller's
 * agency set transaction-locally (`app.agency_id`), which the row-level security policies of
 * every tenant table compare `agency_id` with — the second wall behind the services' filters.
 */
export class TenantScope {
  private closed = false;

  private constructor(private readonly runner: QueryRunner) {}

  static async open(db: DataSource, agencyId: string): Promise<TenantScope> {
    const runner = db.createQueryRunner();
    await runner.connect();
    serializeQueries(runner);
    try {
      await runner.startTransaction();
      await actAsAgency(runner.manager, agencyId);
    } catch (err) {
      await runner.release();
      throw err;
    }
    return new TenantScope(runner);
  }

  /** Runs every query of the request; `transaction()` on it nests as a savepoint. */
  get manager(): EntityManager {
    return this.runner.manager;
  }

  /** Commits (or rolls back) and returns the connection; safe to call more than once. */
  async close(commit: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.runner.isTransactionActive) {
        if (commit) await this.runner.commitTransaction();
        else await this.runner.rollbackTransaction();
      }
    } finally {
      await this.runner.release();
    }
  }
}

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
