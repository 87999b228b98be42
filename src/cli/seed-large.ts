import { randomUUID } from 'node:crypto';
import { SingleBar, Presets } from 'cli-progress';
import type { EntityManager } from 'typeorm';
import { todayUtc } from '../common/clock';
import { addDays } from '../common/date-range';
import { toGlobalId } from '../common/global-id';
import { hashPassword } from '../common/passwords';
import type { Config } from '../config';
import { openDatabase } from '../db/open';
import { actAsAgency } from '../db/tenant-setting';
import { slugsLike } from '../modules/agency/agency.service';
import { generateSyntheticSales } from '../modules/sales/synthetic-sales';
import { parseOptions, runCli } from './run-cli';

export const LARGE_AGENCY_SLUG = 'large-agency';
export const LARGE_ADMIN_EMAIL = 'admin@large.agency';
export const LARGE_ADMIN_PASSWORD = 'large';

/** The shops of the large agency: several regions, currencies and time zones. */
const SHOPS = [
  { name: 'Lumen US', region: 'US', currency: 'USD', timeZone: 'America/Los_Angeles' },
  { name: 'Lumen UK', region: 'GB', currency: 'GBP', timeZone: 'Europe/London' },
  { name: 'Northwind US', region: 'US', currency: 'USD', timeZone: 'America/New_York' },
  { name: 'Northwind ES', region: 'ES', currency: 'EUR', timeZone: 'Europe/Madrid' },
  { name: 'Kettle & Co US', region: 'US', currency: 'USD', timeZone: 'America/Chicago' },
  { name: 'Kettle & Co UK', region: 'GB', currency: 'GBP', timeZone: 'Europe/London' },
];

export interface SeedLargeOptions {
  orders: number;
  /** Last day with sales (default: yesterday, UTC). */
  to?: string;
  days?: number;
  progress?: boolean;
}

/**
 * npm run seed:large -- --orders 1000000: an agency at scale for benchmarks — six shops in three
 * currencies, 400 creators, campaigns over a year and about a million order lines with
 * long-tailed sales, refunds, cancellations and samples, daily stats and health. One transaction.
 */
export async function seedLargeCommand(config: Config, options: SeedLargeOptions): Promise<{ agencyId?: string; created: boolean; lines?: number; seconds?: number }> {
  const database = await openDatabase(config);
  const started = Date.now();
  try {
    if ((await slugsLike(database.db.manager, LARGE_AGENCY_SLUG)).length > 0) return { created: false };
    const to = options.to ?? addDays(todayUtc(), -1);
    const days = options.days ?? 365;
    const from = addDays(to, -(days - 1));
    const passwordHash = await hashPassword(LARGE_ADMIN_PASSWORD);
    const bar = options.progress === false ? null : new SingleBar({ format: '{stage} [{bar}] {percentage}% | {value}/{total} orders | {duration}s' }, Presets.shades_classic);
    bar?.start(options.orders, 0, { stage: 'orders' });
    const result = await database.db.transaction(async (em) => {
      const agencyId = await insertSkeleton(em, passwordHash, from, to);
      const { lines } = await generateSyntheticSales(em, agencyId, {
        from,
        to,
        orders: options.orders,
        seed: 20261122,
        onProgress: (done, _total, stage) => bar?.update(done, { stage }),
      });
      return { agencyId, lines };
    });
    bar?.stop();
    // Fresh statistics: without them the planner guesses a few rows per table and the first
    // ingests and reads scan whole shops.
    await database.db.query('ANALYZE');
    return { agencyId: toGlobalId('Agency', result.agencyId), created: true, lines: result.lines, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await database.close();
  }
}

async function insertSkeleton(em: EntityManager, passwordHash: string, from: string, to: string): Promise<string> {
  const agencyId = randomUUID();
  await actAsAgency(em, agencyId);
  await em.query(`INSERT INTO agencies (id, name, slug) VALUES ($1, 'Large Agency', $2)`, [agencyId, LARGE_AGENCY_SLUG]);
  await em.query(`INSERT INTO members (agency_id, email, name, password_hash, role) VALUES ($1, $2, 'Large Admin', $3, 'AGENCY_ADMIN')`, [
    agencyId,
    LARGE_ADMIN_EMAIL,
    passwordHash,
  ]);
  const clientIds: string[] = [];
  for (const name of ['Lumen Skincare', 'Northwind Outdoor', 'Kettle & Co']) {
    const [{ id }] = await em.query(`INSERT INTO clients (agency_id, name, status) VALUES ($1, $2, 'ACTIVE') RETURNING id`, [agencyId, name]);
    clientIds.push(id);
  }
  for (const [i, shop] of SHOPS.entries()) {
    const [{ id: shopId }] = await em.query(
      `INSERT INTO shops (agency_id, client_id, name, external_id, region, currency, time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [agencyId, clientIds[Math.floor(i / 2)], shop.name, `74939${String(1000000000000 + i)}`, shop.region, shop.currency, shop.timeZone],
    );
    // 40 products; every tenth without a unit cost (COGS reported as missing, not guessed).
    await em.query(
      `INSERT INTO products (agency_id, shop_id, sku, title, currency, price_minor, unit_cost_minor)
       SELECT $1, $2, 'SKU-' || $3 || '-' || lpad(n::text, 3, '0'), 'Product ' || n, $4, 999 + (n * 347) % 6000,
              CASE WHEN n % 10 = 0 THEN NULL ELSE (999 + (n * 347) % 6000) * (25 + n % 20) / 100 END
       FROM generate_series(1, 40) n`,
      [agencyId, shopId, i, shop.currency],
    );
    // Campaigns: one starting every two months over the period, each running about 75 days.
    await em.query(
      `INSERT INTO campaigns (agency_id, shop_id, client_id, name, objective, status, start_date, end_date, currency, commission_rate_bps)
       SELECT $1, $2, $3, 'Campaign ' || n, 'SALES', CASE WHEN d + 75 < $6::date THEN 'COMPLETED' ELSE 'ACTIVE' END::campaign_status,
              d, d + 75, $4, 1000 + (n % 4) * 250
       FROM generate_series(0, 6) n CROSS JOIN LATERAL (SELECT ($5::date + n * 60) AS d) x
       WHERE d <= $6::date`,
      [agencyId, shopId, clientIds[Math.floor(i / 2)], shop.currency, from, to],
    );
    await em.query(
      `INSERT INTO campaign_products (agency_id, campaign_id, product_id)
       SELECT $1, c.id, p.id FROM campaigns c JOIN products p ON p.shop_id = c.shop_id
       WHERE c.shop_id = $2 AND abs(hashtext(c.id::text || p.id::text)) % 8 = 0`,
      [agencyId, shopId],
    );
  }
  await em.query(
    `INSERT INTO creators (agency_id, handle, display_name, follower_count, engagement_rate, niches, region)
     SELECT $1, 'creator_' || lpad(n::text, 4, '0'), 'Creator ' || n, 1000 + (n * 7919) % 900000, 0.01 + (n % 90) / 1000.0,
            ARRAY[(ARRAY['beauty', 'outdoor', 'home', 'fitness'])[1 + n % 4]], (ARRAY['US', 'GB', 'ES'])[1 + n % 3]
     FROM generate_series(1, 400) n`,
    [agencyId],
  );
  // Each campaign enrolls 60 creators; most are posting, some have an override rate.
  await em.query(
    `INSERT INTO campaign_enrollments (agency_id, campaign_id, creator_id, status, commission_rate_bps)
     SELECT $1, c.id, cr.id,
            (ARRAY['POSTED', 'POSTED', 'POSTED', 'ACCEPTED', 'SAMPLE_DELIVERED', 'INVITED', 'DECLINED'])[1 + abs(hashtext(c.id::text || cr.id::text)) % 7]::enrollment_status,
            CASE WHEN abs(hashtext(cr.id::text || c.id::text)) % 5 = 0 THEN 1500 END
     FROM campaigns c CROSS JOIN LATERAL (
       SELECT id FROM creators WHERE agency_id = $1 ORDER BY hashtext(id::text || c.id::text) LIMIT 60) cr
     WHERE c.agency_id = $1`,
    [agencyId],
  );
  return agencyId;
}

if (require.main === module) {
  runCli(async (config) => {
    const options = parseOptions(process.argv.slice(2), ['orders', 'days', 'to']);
    const orders = Number(options.orders ?? 1_000_000);
    if (!Number.isSafeInteger(orders) || orders < 1) throw new Error('--orders must be a positive integer');
    const result = await seedLargeCommand(config, { orders, days: options.days ? Number(options.days) : undefined, to: options.to, progress: process.stderr.isTTY });
    process.stdout.write(result.created ? `Large agency loaded; sign in as ${LARGE_ADMIN_EMAIL} / ${LARGE_ADMIN_PASSWORD}\n` : 'Large agency already present\n');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}
