import { toGlobalId } from '../common/global-id';
import type { Config } from '../config';
import { openDatabase } from '../db/open';
import { AgencyService } from '../modules/agency/agency.service';
import { parseOptions, runCli } from './run-cli';

/**
 * npm run agency:create -- --name "Acme Agency" --admin-email a@acme.test --admin-password 's3cret-pass'
 * Creates an agency and its first AGENCY_ADMIN; the last stdout line is {"agencyId","memberId"} (global ids).
 */
export async function createAgencyCommand(argv: string[], config: Config): Promise<{ agencyId: string; memberId: string }> {
  const options = parseOptions(argv, ['name', 'admin-email', 'admin-password', 'admin-name']);
  for (const required of ['name', 'admin-email', 'admin-password']) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  const database = await openDatabase(config);
  try {
    const { agency, admin } = await new AgencyService().createWithAdmin(database.db, {
      name: options.name,
      adminEmail: options['admin-email'],
      adminPassword: options['admin-password'],
      adminName: options['admin-name'],
    });
    return { agencyId: toGlobalId('Agency', agency.id), memberId: toGlobalId('Member', admin.id) };
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  runCli(async (config) => {
    const result = await createAgencyCommand(process.argv.slice(2), config);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}
