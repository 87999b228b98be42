import { Client as PgClient } from 'pg';
import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * A nested page reads its own rows, not all of its parent's children: `shops { products(first: 5) }`
 * over shops of 3,000 products each must read about 6 product rows per shop.
 */
const PRODUCTS_PER_SHOP = 3000;
let t: TestServer;
let acme: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  const client = await t.gql<{ createClient: { id: string } }, object>('mutation { createClient(input: { name: "Big catalogue" }) { id } }', {}, acme.token);
  for (const region of ['US', 'GB']) {
    const res = await t.gql(
      `mutation { createShop(input: { clientId: "${client.data!.createClient.id}", name: "${region}", externalId: "big-${region}", region: "${region}", currency: "${region === 'US' ? 'USD' : 'GBP'}", timeZone: "UTC" }) { id } }`,
      {},
      acme.token,
    );
    expect(res.errors).toBeUndefined();
  }
  // Bulk rows straight into the table (the test's role owns it), distinct created_at per row.
  const pg = new PgClient({ connectionString: t.database.url });
  await pg.connect();
  try {
    await pg.query(
      `INSERT INTO products (agency_id, shop_id, sku, title, currency, price_minor, created_at)
       SELECT s.agency_id, s.id, 'SKU-' || g, 'Product ' || g, s.currency, 1000 + g, now() - (g || ' seconds')::interval
       FROM shops s CROSS JOIN generate_series(1, $1) g WHERE s.agency_id = $2`,
      [PRODUCTS_PER_SHOP, acme.agencyId],
    );
    await pg.query('ANALYZE products');
  } finally {
    await pg.end();
  }
});
afterAll(() => t.stop());

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Rows every scan of `relation` produced in the plan, over all its loops. */
function rowsRead(node: PlanNode, relation: string): number {
  const own = node['Relation Name'] === relation ? node['Actual Rows'] * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child, relation), 0);
}

it('reads a bounded number of rows per parent for a nested page (EXPLAIN ANALYZE)', async () => {
  t.sql.reset();
  const res = await t.gql<{ shops: { edges: Array<{ node: { products: { edges: Array<{ node: { sku: string } }> } } }> } }, object>(
    '{ shops(first: 10) { edges { node { products(first: 5) { edges { node { sku } } } } } } }',
    {},
    acme.token,
  );
  expect(res.errors).toBeUndefined();
  const pages = res.data!.shops.edges.map((e) => e.node.products.edges.map((p) => p.node.sku));
  // Oldest first: the highest generate_series numbers were created earliest.
  expect(pages).toEqual([0, 1].map(() => [3000, 2999, 2998, 2997, 2996].map((g) => `SKU-${g}`)));

  const index = t.sql.statements.findIndex((sql) => /FROM "products"/.test(sql));
  expect(index).toBeGreaterThanOrEqual(0);
  const pg = new PgClient({ connectionString: t.database.url });
  await pg.connect();
  try {
    const explained = await pg.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${t.sql.statements[index]}`, t.sql.parameters[index]);
    const plan = explained.rows[0]['QUERY PLAN'][0].Plan as PlanNode;
    const read = rowsRead(plan, 'products');
    // Two parents × (5 + 1 look-ahead) rows, plus the rows fetched by id: far below 2 × 3,000.
    expect(read).toBeLessThanOrEqual(2 * 2 * 6);
  } finally {
    await pg.end();
  }
});
