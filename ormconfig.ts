import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

/**
 * The DataSource the TypeORM CLI uses (migration:generate, migration:revert). It needs a
 * PostgreSQL server: set DATABASE_URL (the embedded database runs only inside the app).
 */
const config = loadConfig();
if (!config.databaseUrl) {
  throw new Error('The TypeORM CLI needs DATABASE_URL=postgres://… (the embedded database runs only inside the app)');
}
export default createDataSource({ url: config.databaseUrl });
