import { toGlobalId } from '../common/global-id';
import type { Config } from '../config';
import { openDatabase } from '../db/open';
import { slugsLike } from '../modules/agency/agency.service';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, seedDemoData } from './demo-data';
import { runCli } from './run-cli';

/** npm run seed:demo — loads the demo agency into the configured database, once. */
export async function seedDemoCommand(config: Config): Promise<{ agencyId?: string; created: boolean }> {
  const database = await openDatabase(config);
  try {
    if ((await slugsLike(database.db.manager, 'demo-agency')).length > 0) return { created: false };
    const { agencyId } = await seedDemoData(database.db);
    return { agencyId: toGlobalId('Agency', agencyId), created: true };
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  runCli(async (config) => {
    const result = await seedDemoCommand(config);
    process.stdout.write(result.created ? `Demo agency loaded; sign in as ${DEMO_ADMIN_EMAIL} / ${DEMO_ADMIN_PASSWORD}\n` : 'Demo agency already present\n');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}
