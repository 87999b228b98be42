import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { parseGlobalId } from '../common/global-id';
import { AppError } from '../common/errors';
import { openDatabase } from '../db/open';
import { actAsAgency } from '../db/tenant-setting';
import { lockShopLedger, recomputeRollups } from '../modules/sales/rollups';
import { parseOptions, runCli } from './run-cli';

export interface RebuildReport {
  agencies: number;
  shops: number;
  rollupRows: number;
  ms: number;
}

/**
 * Recomputes every shop's metric_rollups from the ledger (order_lines, daily_stats), with the same
 * statement each ingest runs for the days it touched. One transaction per shop, acting as the
 * shop's agency (row-level security), holding the shop's ledger lock so no ingest interleaves.
 * Lists agencies as the connecting role sees them: run it as the tables' owner (like migrate).
 */
export async function rebuildMetrics(db: DataSource, options: { agencyId?: string; progress?: (line: string) => void } = {}): Promise<RebuildReport> {
  const started = performance.now();
  const agencies: Array<{ id: string }> = options.agencyId
    ? [{ id: options.agencyId }]
    : await db.query(`SELECT id FROM agencies ORDER BY created_at, id`);
  const report: RebuildReport = { agencies: agencies.length, shops: 0, rollupRows: 0, ms: 0 };
  for (const [i, agency] of agencies.entries()) {
    const shops: Array<{ id: string }> = await db.transaction(async (em) => {
      await actAsAgency(em, agency.id);
      return em.query(`SELECT id FROM shops WHERE agency_id = $1 ORDER BY created_at, id`, [agency.id]);
    });
    for (const shop of shops) {
      report.rollupRows += await db.transaction(async (em) => {
        await actAsAgency(em, agency.id);
        await lockShopLedger(em, shop.id);
        await recomputeRollups(em, agency.id, shop.id, null);
        const [{ n }] = await em.query(`SELECT COUNT(*)::int AS n FROM metric_rollups WHERE agency_id = $1 AND shop_id = $2`, [agency.id, shop.id]);
        return n as number;
      });
      report.shops++;
    }
    options.progress?.(`agency ${i + 1}/${agencies.length}: ${shops.length} shop(s) rebuilt, ${report.rollupRows} rollup rows so far`);
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** npm run metrics:rebuild [-- --agency <id>] */
export async function metricsRebuildCommand(config: Config, argv: string[], progress?: (line: string) => void): Promise<RebuildReport> {
  const options = parseOptions(argv, ['agency']);
  let agencyId: string | undefined;
  if (options.agency) {
    const decoded = parseGlobalId(options.agency);
    const uuid = /^[0-9a-f-]{36}$/i.test(options.agency) ? options.agency.toLowerCase() : decoded?.typeName === 'Agency' ? decoded.key : undefined;
    if (!uuid) throw AppError.badField('--agency', 'must be an Agency id (global id or uuid)');
    agencyId = uuid;
  }
  const database = await openDatabase(config);
  try {
    return await rebuildMetrics(database.db, { agencyId, progress });
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  runCli(async (config) => {
    const report = await metricsRebuildCommand(config, process.argv.slice(2), (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(report)}\n`);
  });
}
