import 'reflect-metadata';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppLogger } from '../common/logger';
import { addDays } from '../common/date-range';
import { toGlobalId } from '../common/global-id';
import { loadConfig } from '../config';
import { createServer } from '../server';
import { LARGE_ADMIN_EMAIL, LARGE_ADMIN_PASSWORD, seedLargeCommand } from './seed-large';

/**
 * npm run bench:ledger — the sales ledger at agency scale, measured in one run:
 *  1. a scratch database on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 *     loaded by seed:large (BENCH_ORDERS orders, default 1,000,000, over 365 days);
 *  2. ingest: BENCH_INGEST_BATCHES batches of 1,000 new order lines through the ingestOrders
 *     mutation over HTTP, then the same rows loaded with COPY into a scratch table (the ceiling);
 *  3. reads, warm: a 90-day DAY series of one shop and a 20-row GMV leaderboard over 30 days through
 *     HTTP, beside the bare SQL on the rollups that computes the same numbers.
 * Prints figures and ratios; asserts nothing. Drops the scratch database at the end.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const INGEST_BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 20);
const READ_RUNS = Number(process.env.BENCH_READ_RUNS ?? 200);

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 10; i++) await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}


async function main(): Promise<void> {
  const name = `bench_ledger_${process.pid}`;
  const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const log = new AppLogger('error');
  try {
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST: '1000000',
    });
    const to = addDays(new Date().toISOString().slice(0, 10), -1);
    console.log(`seed:large --orders ${ORDERS} into scratch database ${name}…`);
    const seeded = await seedLargeCommand(config, { orders: ORDERS, to, progress: process.stderr.isTTY });
    console.log(`  ${seeded.lines} order lines in ${seeded.seconds} s`);

    const server = await createServer(config, { log });
    const sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    try {
      const { login } = await gql<{ login: { token: string } }>(
        server.url,
        `mutation ($e: EmailAddress!, $p: String!) { login(email: $e, password: $p) { token } }`,
        { e: LARGE_ADMIN_EMAIL, p: LARGE_ADMIN_PASSWORD },
      );
      const token = login.token;
      const [shop] = (
        await sql.query(`SELECT s.id, s.agency_id, s.currency FROM shops s JOIN agencies a ON a.id = s.agency_id WHERE a.slug = 'large-agency' ORDER BY s.external_id LIMIT 1`)
      ).rows;
      const products = (await sql.query(`SELECT sku, price_minor FROM products WHERE shop_id = $1 ORDER BY sku`, [shop.id])).rows;
      const handles = (await sql.query(`SELECT handle FROM creators WHERE agency_id = $1 ORDER BY handle LIMIT 100`, [shop.agency_id])).rows.map((r) => r.handle);
      const shopId = toGlobalId('Shop', shop.id);

      // (a) Ingest: new lines on recent days, one creator each (attribution runs as in production).
      const batches = Array.from({ length: INGEST_BATCHES }, (_, b) =>
        Array.from({ length: 1000 }, (_, i) => {
          const n = b * 1000 + i;
          const product = products[n % products.length];
          return {
            externalId: `9${String(n).padStart(18, '0')}`,
            orderId: `8${String(Math.floor(n / 2)).padStart(17, '0')}`,
            productSku: product.sku,
            creatorHandle: n % 4 === 0 ? null : handles[n % handles.length],
            status: 'DELIVERED',
            quantity: 1 + (n % 3),
            gmv: { amountMinor: Number(product.price_minor) * (1 + (n % 3)), currency: shop.currency },
            placedAt: new Date(Date.parse(`${addDays(to, -(n % 7))}T15:00:00Z`)).toISOString(),
          };
        }),
      );
      const ingestMutation = `mutation ($shopId: ID!, $orders: [OrderInput!]!) { ingestOrders(shopId: $shopId, orders: $orders) { inserted updated unchanged rejected { index code message } } }`;
      const ingestStart = process.hrtime.bigint();
      let inserted = 0;
      for (const orders of batches) {
        const { ingestOrders } = await gql<{ ingestOrders: { inserted: number; rejected: unknown[] } }>(server.url, ingestMutation, { shopId, orders }, token);
        if (ingestOrders.rejected.length) throw new Error(`rejected: ${JSON.stringify(ingestOrders.rejected.slice(0, 3))}`);
        inserted += ingestOrders.inserted;
      }
      const ingestSeconds = Number(process.hrtime.bigint() - ingestStart) / 1e9;
      const ingestRate = inserted / ingestSeconds;

      await sql.query(`CREATE UNLOGGED TABLE copy_ceiling (LIKE order_lines INCLUDING DEFAULTS)`);
      const rows = batches.flat().map((o, i) =>
        [
          `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          shop.agency_id,
          shop.id,
          o.externalId,
          o.orderId,
          'DELIVERED',
          o.quantity,
          shop.currency,
          o.gmv.amountMinor,
          o.placedAt,
          o.placedAt.slice(0, 10),
        ].join('\t') + '\n',
      );
      const copyStart = process.hrtime.bigint();
      const stream = sql.query(
        copyFrom(`COPY copy_ceiling (id, agency_id, shop_id, external_id, order_id, status, quantity, currency, gmv_minor, placed_at, order_day) FROM STDIN`),
      );
      await pipeline(Readable.from(rows), stream);
      const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;
      const copyRate = rows.length / copySeconds;
      console.log(`\ningest, ${INGEST_BATCHES} batches of 1,000 lines (shop ${shop.currency}, ${seeded.lines} lines already in the ledger):`);
      console.log(`  ingestOrders over HTTP   ${ingestRate.toFixed(0).padStart(8)} rows/s  (${ingestSeconds.toFixed(2)} s)`);
      console.log(`  COPY into a scratch table ${copyRate.toFixed(0).padStart(7)} rows/s  (${copySeconds.toFixed(2)} s)`);
      console.log(`  ratio ingest / COPY       ${(ingestRate / copyRate).toFixed(2)}   (target >= 0.30)`);

      // (b) Reads, warm.
      const seriesFrom = addDays(to, -89);
      const seriesQuery = `query ($id: ID!, $range: DateRangeInput!) { shop(id: $id) { metrics(range: $range, granularity: DAY) {
        points { periodStart gmv { amountMinor } orders units refunds { amountMinor } views clicks adSpend { amountMinor } commissions { amountMinor } aov { amountMinor } ctr cvr roas }
        totals { gmv { amountMinor } orders } previousTotals { gmv { amountMinor } orders } } } }`;
      const seriesHttp = await timeRuns(READ_RUNS, () => gql(server.url, seriesQuery, { id: shopId, range: { from: seriesFrom, to } }, token));
      const seriesSql = await timeRuns(READ_RUNS, () =>
        sql.query(
          `WITH days AS (SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') d),
                r AS (SELECT * FROM metric_rollups WHERE agency_id = $1 AND shop_id = $2 AND dimension = 'S' AND subject_id = '' AND day BETWEEN $5::date AND $4::date)
           SELECT days.day, COALESCE(sum(r.gmv_minor), 0) AS gmv, COALESCE(sum(r.orders), 0) AS orders, COALESCE(sum(r.units), 0) AS units,
                  COALESCE(sum(r.refunds_minor), 0), COALESCE(sum(r.views), 0), COALESCE(sum(r.clicks), 0), COALESCE(sum(r.ad_spend_minor), 0), COALESCE(sum(r.commissions_minor), 0)
           FROM days LEFT JOIN r ON r.day = days.day GROUP BY days.day
           UNION ALL SELECT NULL, sum(gmv_minor), sum(orders), sum(units), 0, 0, 0, 0, 0 FROM r WHERE day < $3::date
           ORDER BY 1`,
          [shop.agency_id, shop.id, seriesFrom, to, addDays(seriesFrom, -90)],
        ),
      );
      const boardFrom = addDays(to, -29);
      const boardQuery = `query ($range: DateRangeInput!, $shopId: ID) { creatorLeaderboard(range: $range, metric: GMV, shopId: $shopId, first: 20) {
        rank value creator { handle } metrics { gmv { amountMinor } orders commissions { amountMinor } } } }`;
      const boardHttp = await timeRuns(READ_RUNS, () => gql(server.url, boardQuery, { range: { from: boardFrom, to }, shopId }, token));
      const boardSql = await timeRuns(READ_RUNS, () =>
        sql.query(
          `SELECT c.handle, t.gmv, t.orders, t.commissions FROM (
             SELECT subject_id, sum(gmv_minor) AS gmv, sum(orders) AS orders, sum(commissions_minor) AS commissions
             FROM metric_rollups WHERE agency_id = $1 AND shop_id = $2 AND dimension = 'R' AND day BETWEEN $3 AND $4
             GROUP BY subject_id) t JOIN creators c ON c.id = t.subject_id::uuid
           ORDER BY t.gmv DESC, c.handle LIMIT 20`,
          [shop.agency_id, shop.id, boardFrom, to],
        ),
      );
      const row = (label: string, http: { p50: number; p95: number }, bare: { p50: number; p95: number }, target: string) =>
        console.log(
          `  ${label.padEnd(30)} HTTP p50 ${http.p50.toFixed(1).padStart(6)} ms  p95 ${http.p95.toFixed(1).padStart(6)} ms | bare SQL p50 ${bare.p50
            .toFixed(1)
            .padStart(5)} ms  p95 ${bare.p95.toFixed(1).padStart(5)} ms | ratio p50 ${(http.p50 / bare.p50).toFixed(2)}  (${target})`,
        );
      console.log(`\nreads, warm, ${READ_RUNS} sequential requests each:`);
      row('90-day DAY series, one shop', seriesHttp, seriesSql, 'target p95 <= 20 ms');
      row('leaderboard, 20 rows, 30 days', boardHttp, boardSql, 'target p95 <= 50 ms');
    } finally {
      await sql.end();
      await server.stop();
    }
  } finally {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
