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
}

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
    extra: {
      max: settings.poolSize ?? 10,
      // Every session runs in UTC: instants are timestamptz, calendar days are computed explicitly.
      options: `-c timezone=UTC${settings.statementTimeoutMs ? ` -c statement_timeout=${settings.statementTimeoutMs}` : ''}`,
    },
  };
}

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}
