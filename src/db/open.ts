import { DataSource, Logger } from 'typeorm';
import type { Config } from '../config';
import { createDataSource } from './data-source';
import { startEmbeddedDatabase } from './embedded';

export interface OpenDatabase {
  db: DataSource;
  /** Migrations this call applied (empty when the schema was up to date). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the configured database (PostgreSQL at DATABASE_URL, else embedded PGlite under
 * DATA_DIR) and applies pending migrations, each in its own transaction.
 */
export async function openDatabase(
  config: Config,
  logger?: Logger,
  statementTimeoutMs?: number,
  onPoolError?: (error: Error) => void,
): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config.dataDir);
  const db = createDataSource({
    url: config.databaseUrl ?? embedded!.url,
    poolSize: embedded ? 1 : config.dbPoolSize,
    acquireTimeoutMs: config.dbAcquireTimeoutMs,
    logger,
    statementTimeoutMs,
    onPoolError,
  });
  try {
    await db.initialize();
    const applied = await db.runMigrations({ transaction: 'each' });
    return {
      db,
      applied: applied.map((m) => m.name),
      async close() {
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (err) {
    if (db.isInitialized) await db.destroy();
    await embedded?.stop();
    throw err;
  }
}
