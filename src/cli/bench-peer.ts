import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * npm run bench:peer — Agency Graph against PostGraphile v4 on the same PostgreSQL database,
 * same data, same questions, measured side by side in one run.
 *
 *  1. creates a scratch database on TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 *     creates an agency and its admin with the CLI (which runs our migrations), then loads a
 *     deterministic data set straight into the tables as the owner: 20 clients × 3 shops ×
 *     10 campaigns × 30 enrollments over a roster of 2,000 creators, and 100,000 products on
 *     the first shop;
 *  2. starts both servers (ours: `node dist/src/main.js`, production settings, limits lifted;
 *     the peer: ../shared/peers/postgraphile.sh, or BENCH_PEER_SCRIPT);
 *  3. checks both answer every query with the same rows in the same order, then alternates
 *     them (ours, peer, ours, peer…) under autocannon, per query and connection count;
 *  4. prints req/s, p50/p99 latency, resident memory of each server process, the ratio
 *     ours/peer, and non-2xx/error/GraphQL-error counts; stops both and drops the database,
 *     also on failure or Ctrl-C.
 *
 * Settings (environment): BENCH_DURATION seconds per run (5), BENCH_ROUNDS (2),
 * BENCH_CONNECTIONS ("1,10"), BENCH_QUERIES (all of "small,medium,nested,bigshop"),
 * BENCH_WARMUP seconds per server and query before measuring (2), BENCH_PEER_SCRIPT,
 * BENCH_CPU_PROF=<dir>: our server runs with `node --cpu-prof` and writes its profile there on exit.
 * BENCH_HOLD=1: after the answers are checked, print both servers' addresses (and our bearer
 * header) and keep everything up until Ctrl-C, to probe or profile by hand.
 */

// autocannon ships no type declarations; this is the part of its API used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN_JS = join(ROOT, 'dist', 'src', 'main.js');
const AGENCY_CREATE_JS = join(ROOT, 'dist', 'src', 'cli', 'agency-create.js');
const PEER_SCRIPT = resolve(ROOT, process.env.BENCH_PEER_SCRIPT ?? join('..', 'shared', 'peers', 'postgraphile.sh'));
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const DURATION_S = positive('BENCH_DURATION', 5);
const ROUNDS = positive('BENCH_ROUNDS', 2);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10').split(',').map((c) => Number(c.trim()));
const QUERY_NAMES = (process.env.BENCH_QUERIES ?? 'small,medium,nested,bigshop').split(',').map((q) => q.trim());
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;

const ADMIN_EMAIL = 'bench-admin@bench.test';
const ADMIN_PASSWORD = 'bench-password-1234';
const START_TIMEOUT_MS = 240_000; // the peer's first start installs it (about 30 s, longer on a busy machine)

// The data set (see loadData).
const CLIENTS = 20;
const SHOPS_PER_CLIENT = 3;
const CAMPAIGNS_PER_SHOP = 10;
const ENROLLMENTS_PER_CAMPAIGN = 30;
const CREATORS = 2_000;
const BIG_SHOP_PRODUCTS = 100_000;
const CREATOR_REGIONS = ['US', 'GB', 'DE', 'FR'];

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number; got "${raw}"`);
  return value;
}

// ---------------------------------------------------------------- cleanup, also on Ctrl-C

const cleanups: Array<() => Promise<void>> = [];
let cleaningUp: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        console.error(`cleanup: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return cleaningUp;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers and dropping the scratch database…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- database

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createScratchDatabase(): Promise<string> {
  const name = `agency_graph_bench_${randomBytes(5).toString('hex')}`;
  await withAdmin(ADMIN_URL, (c) => c.query(`CREATE DATABASE "${name}"`));
  cleanups.push(async () => {
    await withAdmin(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    console.error(`dropped database ${name}`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [file, ...args], { env, cwd: ROOT }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} failed: ${stderr || err.message}`));
      else resolvePromise(stdout);
    });
  });
}

/**
 * Loads the data set in one transaction as the database owner, bypassing the API. Every
 * created_at is distinct and increasing (1 ms apart, in creation order), so ordering by
 * (created_at, id) is the same on both servers and from run to run.
 */
async function loadData(url: string, agencyId: string): Promise<{ bigShopId: string; counts: Record<string, number> }> {
  return withAdmin(url, async (db) => {
    await db.query('BEGIN');
    // Row-level security admits only the current agency's rows (the owner bypasses it, but a
    // loader role that does not still works).
    await db.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
    const base = '2024-01-01T00:00:00Z';
    const q = (sql: string, params: unknown[] = []) => db.query(sql, [agencyId, base, ...params]);
    await q(
      `INSERT INTO clients (agency_id, name, status, created_at)
       SELECT $1, 'Client ' || lpad(i::text, 2, '0'), 'ACTIVE', $2::timestamptz + i * interval '1 ms'
       FROM generate_series(1, $3::int) i`,
      [CLIENTS],
    );
    await q(
      `INSERT INTO shops (agency_id, client_id, name, external_id, region, currency, time_zone, created_at)
       SELECT $1, c.id, c.name || ' shop ' || s, 'shop-' || c.n || '-' || s, 'US', 'USD', 'America/New_York',
              $2::timestamptz + ((c.n - 1) * $3::int + s) * interval '1 ms'
       FROM (SELECT id, name, row_number() OVER (ORDER BY created_at, id) AS n FROM clients WHERE agency_id = $1) c
       CROSS JOIN generate_series(1, $3::int) s`,
      [SHOPS_PER_CLIENT],
    );
    await q(
      `INSERT INTO campaigns (agency_id, shop_id, client_id, name, objective, status, start_date, currency, budget_minor, commission_rate_bps, created_at)
       SELECT $1, s.id, s.client_id, 'Campaign ' || s.n || '.' || k, 'SALES', 'ACTIVE', date '2024-01-01', 'USD', 500000, 1000 + k,
              $2::timestamptz + ((s.n - 1) * $3::int + k) * interval '1 ms'
       FROM (SELECT id, client_id, row_number() OVER (ORDER BY created_at, id) AS n FROM shops WHERE agency_id = $1) s
       CROSS JOIN generate_series(1, $3::int) k`,
      [CAMPAIGNS_PER_SHOP],
    );
    await q(
      `INSERT INTO creators (agency_id, handle, display_name, follower_count, engagement_rate, niches, region, created_at)
       SELECT $1, 'creator' || lpad(i::text, 4, '0'), 'Creator ' || i, 1000 + (i * 7919) % 1000000, ((i * 37) % 100) / 1000.0,
              ARRAY['beauty', 'fitness', 'food', 'tech']::text[], ($4::text[])[1 + i % cardinality($4::text[])],
              $2::timestamptz + i * interval '1 ms'
       FROM generate_series(1, $3::int) i`,
      [CREATORS, CREATOR_REGIONS],
    );
    // Each campaign enrolls 30 consecutive creators of the roster (wrapping around), statuses in turn.
    await q(
      `WITH camp AS (SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM campaigns WHERE agency_id = $1),
            cr AS (SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM creators WHERE agency_id = $1)
       INSERT INTO campaign_enrollments (agency_id, campaign_id, creator_id, status, commission_rate_bps, created_at)
       SELECT $1, camp.id, cr.id, (enum_range(NULL::enrollment_status))[1 + (camp.n + j) % 8], 1200,
              $2::timestamptz + (camp.n * $3::int + j) * interval '1 ms'
       FROM camp CROSS JOIN generate_series(0, $3::int - 1) j
       JOIN cr ON cr.n = (camp.n * $3::int + j) % $4::int`,
      [ENROLLMENTS_PER_CAMPAIGN, CREATORS],
    );
    const bigShop = await db.query(`SELECT id FROM shops WHERE agency_id = $1 ORDER BY created_at, id LIMIT 1`, [agencyId]);
    const bigShopId: string = bigShop.rows[0].id;
    await q(
      `INSERT INTO products (agency_id, shop_id, sku, title, currency, price_minor, created_at, updated_at)
       SELECT $1, $3::uuid, 'SKU-' || lpad(i::text, 6, '0'), 'Product ' || i, 'USD', 100 + (i * 131) % 99900,
              $2::timestamptz + i * interval '1 ms', $2::timestamptz + i * interval '1 ms'
       FROM generate_series(1, $4::int) i`,
      [bigShopId, BIG_SHOP_PRODUCTS],
    );
    await db.query('COMMIT');
    await db.query('ANALYZE');
    const counts: Record<string, number> = {};
    for (const table of ['clients', 'shops', 'campaigns', 'creators', 'campaign_enrollments', 'products']) {
      counts[table] = Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    return { bigShopId, counts };
  });
}

// ---------------------------------------------------------------- servers

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePromise(port));
    });
  });
}

interface Server {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The process answering the requests, for its resident memory. */
  pid(): number | null;
  output(): string;
}

/** SIGTERM, then SIGKILL (to killGroup's process group too, when given) if it has not exited in time. */
async function stopChild(child: ChildProcess, label: string, killGroup?: () => number | null): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const group = killGroup?.() ?? null;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`${label} did not exit within 15 s of SIGTERM: SIGKILL`);
    if (group) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

function capture(child: ChildProcess): () => string {
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => out;
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] } };
  }
}

/** Polls until the GraphQL endpoint answers `{ __typename }`, or the process exits, or time runs out. */
async function waitForGraphql(url: string, child: ChildProcess, output: () => string, label: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${label} exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output()}`);
    }
    try {
      const { body } = await post(url, '{ __typename }');
      if (body?.data?.__typename) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label} did not answer at ${url} within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startOurs(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    // The limits protect a shared server from people; here they would only throttle the load.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_BURST: '1000000',
    QUERY_MAX_COST: '1000000000',
    QUERY_MAX_OBJECTS: '100000000',
  };
  delete env.REDIS_URL;
  delete env.DATA_DIR;
  const nodeArgs = CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [];
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => stopChild(child, 'Agency Graph'));
  const output = capture(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForGraphql(url, child, output, 'Agency Graph');
  const login = await post(
    url,
    `mutation { login(email: "${ADMIN_EMAIL}", password: "${ADMIN_PASSWORD}") { token } }`,
  );
  const token = login.body?.data?.login?.token;
  if (!token) throw new Error(`login to Agency Graph failed: ${JSON.stringify(login.body)}`);
  return { name: 'Agency Graph', url, headers: { authorization: `Bearer ${token}` }, pid: () => child.pid ?? null, output };
}

/** Every descendant of a process, from /proc (Linux). */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const walk = (p: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of children.split(/\s+/).filter(Boolean).map(Number)) {
        found.push(c);
        walk(c);
      }
    }
  };
  walk(pid);
  return found;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function assertPeerScript(): void {
  if (!existsSync(PEER_SCRIPT)) {
    throw new Error(
      `The PostGraphile peer script is missing: ${PEER_SCRIPT}\n` +
        `It is expected at ../shared/peers/postgraphile.sh relative to the repository (${ROOT}); ` +
        `set BENCH_PEER_SCRIPT to its path to use another location.`,
    );
  }
}

async function startPeer(databaseUrl: string): Promise<Server> {
  assertPeerScript();
  const port = await freePort();
  const child = spawn('bash', [PEER_SCRIPT, databaseUrl, String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // The script starts npx in a session of its own; the server is the node process at the
  // bottom of that tree (npm's own process above it is not what answers).
  const serverPid = () => {
    const nodes = descendants(child.pid!).filter((p) => /(^|\/)node\s.*postgraphile/.test(cmdline(p)));
    return nodes.length ? nodes[nodes.length - 1] : null;
  };
  const group = () => descendants(child.pid!)[0] ?? null; // npx, leader of the setsid group
  cleanups.push(() => stopChild(child, 'PostGraphile', group));
  const output = capture(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForGraphql(url, child, output, 'PostGraphile');
  return { name: 'PostGraphile', url, headers: {}, pid: serverPid, output };
}

function rssMiB(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) of a process in clock ticks, from /proc/<pid>/stat. */
function cpuTicks(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
  } catch {
    return null;
  }
}

/** CPU clock ticks of every PostgreSQL process on this machine (both servers' backends and the rest), by pid. */
function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const pid = Number(entry);
    const t = cpuTicks(pid);
    if (t !== null) ticks.set(pid, t);
  }
  return ticks;
}

/** Ticks PostgreSQL spent between two samples: processes alive at the end, less what each had at the start. */
function postgresTicksSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, t] of postgresTicks()) total += t - (before.get(pid) ?? 0);
  return total;
}

/**
 * Waits until the servers and the database are idle: autocannon stops on time, but the requests
 * it abandons go on being computed, and would otherwise be charged to the next run.
 */
async function settle(servers: Server[], databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const deadline = Date.now() + 120_000;
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    const before = servers.map((s) => cpuTicks(s.pid()));
    await new Promise((r) => setTimeout(r, 300));
    const after = servers.map((s) => cpuTicks(s.pid()));
    // Under 10% of a core (clock ticks are 1/100 s) in each server process...
    const idle = after.every((t, i) => t === null || before[i] === null || t - before[i]! <= 3);
    // ...and no statement running in the scratch database.
    const active = await withAdmin(ADMIN_URL, async (c) =>
      Number((await c.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active'`, [name])).rows[0].n),
    );
    quiet = idle && active === 0 ? quiet + 1 : 0;
  }
}

// ---------------------------------------------------------------- queries

interface Bench {
  name: string;
  label: string;
  ours: string;
  peer: string;
  /** Each run's length: the nested query takes a second or more per request, so it gets longer runs. */
  seconds: number;
}

const ORDER = 'orderBy: [CREATED_AT_ASC, ID_ASC]';

function queries(bigShopGlobalId: string, bigShopId: string): Bench[] {
  const all: Bench[] = [
    {
      name: 'small',
      seconds: DURATION_S,
      label: 'clients(first:10) + totalCount',
      ours: `{ clients(first: 10) { totalCount edges { node { name } } } }`,
      peer: `{ clients(first: 10, ${ORDER}) { totalCount edges { node { name } } } }`,
    },
    {
      name: 'medium',
      seconds: DURATION_S,
      label: 'creators(first:100, region US) + totalCount',
      ours: `{ creators(first: 100, filter: { region: "US" }) { totalCount edges { node { handle followerCount } } } }`,
      peer: `{ creators(first: 100, condition: { region: "US" }, ${ORDER}) { totalCount edges { node { handle followerCount } } } }`,
    },
    {
      name: 'nested',
      seconds: DURATION_S * 2,
      label: 'clients 20>shops 5>campaigns 10>enrollments 30>creator',
      ours: `{ clients(first: 20) { edges { node { name
        shops(first: 5) { edges { node { name
          campaigns(first: 10) { edges { node { name
            enrollments(first: 30) { edges { node { status creator { handle followerCount } } } } } } } } } } } } } }`,
      peer: `{ clients(first: 20, ${ORDER}) { edges { node { name
        shops(first: 5, ${ORDER}) { edges { node { name
          campaigns(first: 10, ${ORDER}) { edges { node { name
            campaignEnrollments(first: 30, ${ORDER}) { edges { node { status creator { handle followerCount } } } } } } } } } } } } } }`,
    },
    {
      name: 'bigshop',
      seconds: DURATION_S,
      label: 'shop(id).products(first:10), 100k-product shop',
      ours: `{ shop(id: "${bigShopGlobalId}") { name products(first: 10) { edges { node { sku } } } } }`,
      peer: `{ shop(id: "${bigShopId}") { name products(first: 10, ${ORDER}) { edges { node { sku } } } } }`,
    },
  ];
  const unknown = QUERY_NAMES.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length) throw new Error(`BENCH_QUERIES: unknown ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  return all.filter((b) => QUERY_NAMES.includes(b.name));
}

/** The peer names the same relation by its table; after that the two answers must be identical. */
function normalized(data: unknown): string {
  return JSON.stringify(data).replace(/"campaignEnrollments":/g, '"enrollments":');
}

function leafCount(data: unknown): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const values = Object.values(v);
      if (values.every((x) => x === null || typeof x !== 'object')) n++;
      else values.forEach(walk);
    }
  };
  walk(data);
  return n;
}

async function checkSame(ours: Server, peer: Server, bench: Bench): Promise<number> {
  const [a, b] = await Promise.all([post(ours.url, bench.ours, ours.headers), post(peer.url, bench.peer, peer.headers)]);
  for (const [server, res] of [
    [ours, a],
    [peer, b],
  ] as const) {
    if (res.status !== 200 || res.body.errors || !res.body.data) {
      throw new Error(`${server.name} failed the ${bench.name} query (HTTP ${res.status}): ${JSON.stringify(res.body).slice(0, 1000)}`);
    }
  }
  const left = normalized(a.body.data);
  const right = normalized(b.body.data);
  if (left !== right) {
    let at = 0;
    while (at < left.length && left[at] === right[at]) at++;
    throw new Error(
      `the ${bench.name} query answers differ (first difference at character ${at}):\n` +
        `  Agency Graph: …${left.slice(Math.max(0, at - 120), at + 120)}…\n` +
        `  PostGraphile: …${right.slice(Math.max(0, at - 120), at + 120)}…`,
    );
  }
  const rows = leafCount(a.body.data);
  if (rows === 0) throw new Error(`the ${bench.name} query returned no rows on either server`);
  return rows;
}

// ---------------------------------------------------------------- load

interface Measured {
  reqPerSec: number;
  /** CPU (user + system) of the server process, and of every PostgreSQL process, per request in µs. */
  serverCpuUs: number | null;
  dbCpuUs: number | null;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  graphqlErrors: number;
  rssMiB: number | null;
}

async function load(server: Server, query: string, connections: number, seconds: number): Promise<Measured> {
  let peakRss: number | null = null;
  const sample = () => {
    const rss = rssMiB(server.pid());
    if (rss !== null) peakRss = Math.max(peakRss ?? 0, rss);
  };
  const sampler = setInterval(sample, 250);
  const serverTicks = cpuTicks(server.pid());
  const dbTicks = postgresTicks();
  try {
    const result = await autocannon({
      url: server.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({ query }),
      connections,
      duration: seconds,
      timeout: 60,
      // A 200 that carries GraphQL errors is a failure too: counted as a mismatch.
      verifyBody: (body: string) => !body.includes('"errors":'),
    });
    sample();
    const serverAfter = cpuTicks(server.pid());
    const dbSpent = postgresTicksSince(dbTicks);
    const perRequestUs = (ticks: number) => (result.requests.total > 0 ? (ticks * 10_000) / result.requests.total : null);
    return {
      reqPerSec: result.requests.total / result.duration,
      serverCpuUs: serverTicks === null || serverAfter === null ? null : perRequestUs(serverAfter - serverTicks),
      dbCpuUs: perRequestUs(dbSpent),
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      graphqlErrors: result.mismatches,
      rssMiB: peakRss,
    };
  } finally {
    clearInterval(sampler);
  }
}

function meanOf(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

function summarize(runs: Measured[]): Measured & { perRound: number[] } {
  const sum = (f: (m: Measured) => number) => runs.reduce((acc, m) => acc + f(m), 0);
  const rss = runs.map((m) => m.rssMiB).filter((r): r is number => r !== null);
  return {
    reqPerSec: sum((m) => m.reqPerSec) / runs.length,
    p50: sum((m) => m.p50) / runs.length,
    p99: Math.max(...runs.map((m) => m.p99)),
    requests: sum((m) => m.requests),
    non2xx: sum((m) => m.non2xx),
    errors: sum((m) => m.errors),
    graphqlErrors: sum((m) => m.graphqlErrors),
    rssMiB: rss.length ? Math.max(...rss) : null,
    serverCpuUs: meanOf(runs.map((m) => m.serverCpuUs)),
    dbCpuUs: meanOf(runs.map((m) => m.dbCpuUs)),
    perRound: runs.map((m) => m.reqPerSec),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r, ri) => {
      const line = r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  assertPeerScript(); // before any work
  if (!existsSync(MAIN_JS) || !existsSync(AGENCY_CREATE_JS)) {
    throw new Error(`${MAIN_JS} is missing: build first (npm run bench:peer builds when sources changed)`);
  }
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);

  const databaseUrl = await createScratchDatabase();
  console.log(`scratch database ${new URL(databaseUrl).pathname.slice(1)}`);
  // The CLI runs our migrations, then creates the agency that the loaded data belongs to.
  const out = await run(AGENCY_CREATE_JS, ['--name', 'Bench Agency', '--admin-email', ADMIN_EMAIL, '--admin-password', ADMIN_PASSWORD], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
  });
  JSON.parse(out.trim().split('\n').pop()!); // {"agencyId","memberId"}: it succeeded
  const agencyId: string = await withAdmin(databaseUrl, async (c) => (await c.query('SELECT id FROM agencies')).rows[0].id);

  let t = Date.now();
  const { bigShopId, counts } = await loadData(databaseUrl, agencyId);
  console.log(
    `loaded in ${((Date.now() - t) / 1000).toFixed(1)} s: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );

  t = Date.now();
  const [ours, peer] = await Promise.all([startOurs(databaseUrl), startPeer(databaseUrl)]);
  console.log(`both servers answering after ${((Date.now() - t) / 1000).toFixed(1)} s (PostGraphile pid ${peer.pid()}, Agency Graph pid ${ours.pid()})`);

  const found = await post(ours.url, `{ clients(first: 1) { edges { node { shops(first: 1) { edges { node { id } } } } } } }`, ours.headers);
  const bigShopGlobalId: string | undefined = found.body?.data?.clients?.edges?.[0]?.node?.shops?.edges?.[0]?.node?.id;
  if (!bigShopGlobalId) throw new Error(`could not read the big shop's id from Agency Graph: ${JSON.stringify(found.body)}`);
  const benches = queries(bigShopGlobalId, bigShopId);

  for (const bench of benches) {
    const rows = await checkSame(ours, peer, bench);
    console.log(`same answer from both: ${bench.name.padEnd(8)} ${rows} rows`);
  }
  if (process.env.BENCH_HOLD) {
    console.log(JSON.stringify({ ours: { url: ours.url, headers: ours.headers, pid: ours.pid() }, peer: { url: peer.url, pid: peer.pid() }, databaseUrl, bigShopGlobalId, bigShopId }));
    console.log('holding both servers up; Ctrl-C stops them and drops the database');
    await new Promise<never>(() => undefined);
  }


  const rows: string[][] = [
    ['query', 'conns', 'server', 'req/s', 'per round', 'p50 ms', 'p99 ms', 'RSS MiB', 'srv CPU µs/req', 'db CPU µs/req', 'non2xx', 'errors', 'gql err', 'ours/peer'],
  ];
  for (const bench of benches) {
    // Warmed up just before its own runs, so a query's memory peak is not charged to an earlier one.
    for (const server of WARMUP_S > 0 ? [ours, peer] : []) {
      await settle([ours, peer], databaseUrl);
      await load(server, server === ours ? bench.ours : bench.peer, 10, WARMUP_S);
    }
    for (const connections of CONNECTIONS) {
      const runs = new Map<Server, Measured[]>([
        [ours, []],
        [peer, []],
      ]);
      for (let round = 0; round < ROUNDS; round++) {
        for (const server of [ours, peer]) {
          await settle([ours, peer], databaseUrl);
          runs.get(server)!.push(await load(server, server === ours ? bench.ours : bench.peer, connections, bench.seconds));
        }
      }
      const a = summarize(runs.get(ours)!);
      const b = summarize(runs.get(peer)!);
      const ratio = b.reqPerSec > 0 ? (a.reqPerSec / b.reqPerSec).toFixed(2) : 'n/a';
      for (const [server, m] of [
        [ours, a],
        [peer, b],
      ] as const) {
        rows.push([
          server === ours ? bench.name : '',
          server === ours ? String(connections) : '',
          server.name,
          m.reqPerSec.toFixed(1),
          m.perRound.map((r) => r.toFixed(r < 10 ? 1 : 0)).join('/'),
          m.p50.toFixed(1),
          m.p99.toFixed(1),
          m.rssMiB === null ? 'n/a' : m.rssMiB.toFixed(0),
          m.serverCpuUs === null ? 'n/a' : m.serverCpuUs.toFixed(0),
          m.dbCpuUs === null ? 'n/a' : m.dbCpuUs.toFixed(0),
          String(m.non2xx),
          String(m.errors),
          String(m.graphqlErrors),
          server === ours ? ratio : '',
        ]);
      }
      console.error(`  measured ${bench.name} at ${connections} connection(s): ours/peer ${ratio} (${elapsed()})`);
    }
  }

  console.log('');
  for (const bench of benches) console.log(`${bench.name.padEnd(8)} ${bench.label}`);
  console.log(
    `\n${ROUNDS} alternating rounds of ${DURATION_S} s (nested: ${DURATION_S * 2} s) per server (ours, peer, ours, peer…), each after both servers and the database are idle, after a ${WARMUP_S} s warm-up at 10 connections; req/s is the mean of the rounds,` +
      ` p50 the mean, p99 the worst; RSS the peak VmRSS of each server process during the runs (a process keeps what earlier queries grew); gql err = 200s carrying GraphQL errors.\n`,
  );
  console.log(table(rows));
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}; total ${elapsed()}`);
}

main()
  .then(() => cleanup())
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    await cleanup();
    process.exitCode = 1;
  });
