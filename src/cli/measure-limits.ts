import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, OperationDefinitionNode } from 'graphql';
import { estimateCost, QUERY_LIMITS } from '../common/limits';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { AgencyService } from '../modules/agency/agency.service';
import { buildAppSchema } from '../schema';

/**
 * The worst queries the cost limit admits, run against the built server (a child process) on
 * full lists: 100 campaigns with 500 products each, 100 enrollments each. Prints, per query, its
 * estimated cost, wall time and the server's peak RSS (VmHWM). Needs DATABASE_URL (an empty
 * database: it is seeded on first use). Usage:
 *   npm run -s build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/measure node dist/src/cli/measure-limits.js
 */
const PORT = Number(process.env.MEASURE_PORT ?? 4517);
const URL_ = `http://127.0.0.1:${PORT}/graphql`;
const EMAIL = 'measure@example.com';
const PASSWORD = 'measure-password-1';
const SECRET = 'measure-secret-that-is-at-least-32-characters';

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ status: number; body: { data?: T; errors?: any[] }; bytes: number }> {
  const res = await fetch(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), bytes: text.length };
}

function startServer(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      RATE_LIMIT_BURST: '1000000',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (/ready at/.test(chunk.toString())) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system) the process has used, in ms. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function seed(token: string): Promise<void> {
  const existing = await gql<{ campaigns: { totalCount: number } }>('{ campaigns { totalCount } }', {}, token);
  if ((existing.body.data?.campaigns.totalCount ?? 0) >= 100) return;
  const client = await gql('mutation { createClient(input: { name: "Measure" }) { id } }', {}, token);
  const shop = await gql(
    'mutation ($c: ID!) { createShop(input: { clientId: $c, name: "US", externalId: "m-1", region: "US", currency: "USD", timeZone: "America/New_York" }) { id } }',
    { c: client.body.data.createClient.id },
    token,
  );
  const shopId = shop.body.data.createShop.id;
  const products = Array.from({ length: 500 }, (_, i) => ({
    sku: `SKU-${String(i).padStart(5, '0')}`,
    title: `Product number ${i} with a realistic, fairly long title for a TikTok Shop listing`,
    price: { amountMinor: 1999 + i, currency: 'USD' },
    unitCost: { amountMinor: 700, currency: 'USD' },
  }));
  const upserted = await gql('mutation ($s: ID!, $p: [ProductInput!]!) { upsertProducts(shopId: $s, products: $p) { id } }', { s: shopId, p: products }, token);
  const productIds = upserted.body.data.upsertProducts.map((p: { id: string }) => p.id);
  const creatorIds: string[] = [];
  for (let i = 0; i < 100; i++) {
    const c = await gql('mutation ($h: String!) { createCreator(input: { handle: $h, followerCount: 1000 }) { id } }', { h: `creator${i}` }, token);
    creatorIds.push(c.body.data.createCreator.id);
  }
  for (let i = 0; i < 100; i++) {
    const c = await gql(
      'mutation ($s: ID!, $p: [ID!]) { createCampaign(input: { shopId: $s, name: "C", objective: SALES, startDate: "2026-01-01", commissionRateBps: 1000, productIds: $p }) { id } }',
      { s: shopId, p: productIds },
      token,
    );
    if (!c.body.data) throw new Error(JSON.stringify(c.body.errors));
    await gql('mutation ($c: ID!, $cr: [EnrollCreatorInput!]!) { enrollCreators(campaignId: $c, creators: $cr) { id } }', {
      c: c.body.data.createCampaign.id,
      cr: creatorIds.map((creatorId) => ({ creatorId })),
    }, token);
  }
}

const PRODUCT_ALL = 'id sku title createdAt price { amountMinor currency amount } unitCost { amountMinor currency amount }';

/** Query shapes, each with the largest page size `n` (1..100) that the limit admits. */
const SHAPES: Record<string, (n: number) => string> = {
  'plain list, every product field': (n) => `{ campaigns(first: ${n}) { edges { node { id name products { ${PRODUCT_ALL} } } } } }`,
  'plain list, one leaf (most objects per cost)': (n) => `{ campaigns(first: ${n}) { edges { node { products { id } } } } }`,
  'plain list, 30 aliased titles': (n) =>
    `{ campaigns(first: ${n}) { edges { node { products { ${Array.from({ length: 30 }, (_, i) => `t${i}: title`).join(' ')} } } } } }`,
  'products under shop under products': (n) => `{ campaigns(first: 1) { edges { node { products { shop { campaigns(first: ${n}) { edges { node { id } } } } } } } } }`,
  'nested connections with cursors': (n) =>
    `{ campaigns(first: 100) { edges { cursor node { enrollments(first: ${n}) { edges { cursor node { id status creator { handle } } } } } } } }`,
};

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, JWT_SECRET: SECRET, NODE_ENV: 'production', LOG_LEVEL: 'error', SEED_DEMO: 'false' });
  if (!config.databaseUrl) throw new Error('Set DATABASE_URL to an empty PostgreSQL database');
  const database = await openDatabase(config);
  const exists = await database.db.query('SELECT 1 FROM members WHERE email = $1', [EMAIL]).catch(() => []);
  if (exists.length === 0) await new AgencyService().createWithAdmin(database.db, { name: 'Measure', adminEmail: EMAIL, adminPassword: PASSWORD });
  await database.close();

  const schema = await buildAppSchema();
  const costOf = (query: string) => {
    const document = parse(query);
    return estimateCost(schema, document, document.definitions[0] as OperationDefinitionNode, {}) ?? 0;
  };

  let server = await startServer();
  const login = await gql('mutation ($e: EmailAddress!, $p: String!) { login(email: $e, password: $p) { token } }', { e: EMAIL, p: PASSWORD });
  const token = login.body.data.login.token as string;
  await seed(token);
  await stopServer(server);

  console.log(`cost limit ${QUERY_LIMITS.maxCost}; server: node ${process.version}, fresh process per query`);
  for (const [name, shape] of Object.entries(SHAPES)) {
    let n = 100;
    while (n > 1 && costOf(shape(n)) > QUERY_LIMITS.maxCost) n--;
    const query = shape(n);
    server = await startServer();
    await gql('{ campaigns(first: 1) { edges { node { id } } } }', {}, token); // warm up
    const before = memoryOf(server.pid!);
    const cpuBefore = cpuMsOf(server.pid!);
    const started = process.hrtime.bigint();
    const res = await gql(query, {}, token);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const after = memoryOf(server.pid!);
    const cpuMs = cpuMsOf(server.pid!) - cpuBefore;
    const outcome = res.body.errors ? `errors ${JSON.stringify(res.body.errors[0].extensions)}` : `ok, ${(res.bytes / 1e6).toFixed(1)} MB JSON`;
    console.log(
      `${name.padEnd(46)} n=${String(n).padStart(3)} cost ${String(costOf(query)).padStart(7)}  ${ms.toFixed(0).padStart(5)} ms (CPU ${cpuMs.toFixed(0)} ms)  ` +
        `RSS ${before.rssMb} -> peak ${after.peakMb} MB  (HTTP ${res.status}, ${outcome})`,
    );
    // The same query four at once: what two cores do under a burst.
    const burstStart = process.hrtime.bigint();
    const burst = await Promise.all(Array.from({ length: 4 }, () => gql(query, {}, token)));
    const burstMs = Number(process.hrtime.bigint() - burstStart) / 1e6;
    const stopped = burst.filter((r) => r.body.errors).length;
    console.log(`${''.padEnd(46)} 4 at once: ${burstMs.toFixed(0)} ms, peak RSS ${memoryOf(server.pid!).peakMb} MB, ${stopped} stopped`);
    await stopServer(server);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

