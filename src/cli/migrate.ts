import { openDatabase } from '../db/open';
import { runCli } from './run-cli';

/** npm run migrate — applies pending migrations to the configured database. */
runCli(async (config) => {
  const database = await openDatabase(config);
  await database.close();
  process.stdout.write(database.applied.length ? `Applied: ${database.applied.join(', ')}\n` : 'Schema is up to date\n');
});
