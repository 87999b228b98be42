import { DataSource } from 'typeorm';
import type { RateLimiter } from './common/rate-limit';

/** Every probe of /readyz must answer within this, so the whole check answers within a second. */
export const READINESS_PROBE_TIMEOUT_MS = 800;

export type Readiness = 'ready' | 'database unreachable' | 'database not answering' | 'migrations pending' | 'redis unreachable';

const TIMED_OUT = Symbol('timed out');

/** `work`'s result, or TIMED_OUT when it takes longer than `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  // A probe that loses the race still settles later; its rejection must not go unhandled.
  work.catch(() => undefined);
  return Promise.race([work, new Promise<typeof TIMED_OUT>((resolve) => setTimeout(resolve, ms, TIMED_OUT).unref())]);
}

/**
 * Whether this node can serve requests now: the database hands out a pooled connection and
 * answers (within the probe timeout; a pool held by long locks is "database busy"), no migrations
 * are pending, and Redis answers when it is configured (without it, rate limits fall back to
 * per-node buckets: a deployment that counts on shared limits is not ready).
 */
export async function checkReadiness(db: DataSource, limiter: RateLimiter, timeoutMs = READINESS_PROBE_TIMEOUT_MS): Promise<Readiness> {
  const database = (async (): Promise<Readiness> => {
    // One connection for both probes, from the pool the requests use: if locks hold every
    // connection, the probe waits like a request would and the timeout below says it is not answering.
    const runner = db.createQueryRunner();
    const connecting = runner.connect();
    try {
      await connecting;
      await runner.query('SELECT 1');
      const rows: Array<{ name: string }> = await runner.query('SELECT name FROM "migrations"');
      const applied = new Set(rows.map((r) => r.name));
      const pending = db.migrations.some((m) => !applied.has(m.name ?? m.constructor.name));
      return pending ? 'migrations pending' : 'ready';
    } catch {
      return 'database unreachable';
    } finally {
      // Released once the connection arrives, even after the probe gave up on it: no leak.
      connecting.then(() => runner.release(), () => undefined);
    }
  })();
  const [dbState, redisUp] = await Promise.all([within(database, timeoutMs), limiter.healthy(timeoutMs)]);
  if (dbState === TIMED_OUT) return 'database not answering';
  if (dbState !== 'ready') return dbState;
  return redisUp ? 'ready' : 'redis unreachable';
}
