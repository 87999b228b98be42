import { DataSource, DataSourceOptions, Logger } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DataSourceSettings {
  url: string;
  /** Pool size; 1 for embedded PGlite, which serves one connection. */
  poolSize?: number;
  /** Receives every statement (tests count them). */
  logger?: Logger;
  /** Longest a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs?: number;
  /** Longest wait for a pooled connection (or a new one to open); unbounded when absent. */
  acquireTimeoutMs?: number;
  /** Told about errors of idle pooled connections (a restarted or terminated backend). */
  onPoolError?: (error: Error) => void;
}

/** The name the API's sessions carry in pg_stat_activity. */
export const APPLICATION_NAME = 'agency-graph';

/** The one DataSource definition, shared by the app, the TypeORM CLI (ormconfig.ts) and tests. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    logger: settings.logger,
    // No TypeORM console logging: failed statements carry parameters (password hashes); errors reach our logger.
    logging: settings.logger ? ['query', 'error'] : false,
    applicationName: APPLICATION_NAME,
    // An idle connection the server dropped is removed from the pool; the next request gets a new one.
    poolErrorHandler: settings.onPoolError ?? (() => undefined),
    extra: {
      max: settings.poolSize ?? 10,
      // pg waits forever for a free connection unless told otherwise: a request then hangs while
      // locks hold the pool. With this it fails (503 SERVICE_UNAVAILABLE, see error-formatting).
      ...(settings.acquireTimeoutMs ? { connectionTimeoutMillis: settings.acquireTimeoutMs } : {}),
      // Every session runs in UTC: instants are timestamptz, calendar days are computed explicitly.
      options: `-c timezone=UTC${settings.statementTimeoutMs ? ` -c statement_timeout=${settings.statementTimeoutMs}` : ''}`,
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
