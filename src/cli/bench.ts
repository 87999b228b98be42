import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppLogger } from '../common/logger';
import { loadConfig } from '../config';
import { createServer, RunningServer } from '../server';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './demo-data';

/**
 * npm run bench — boot times of the real server and request latencies on the demo data.
 * Prints figures; asserts nothing (targets are judged by people reading them).
 *
 * Boot: spawns the built server (`node dist/src/main.js`, what `npm start` runs after its build)
 * on a fresh DATA_DIR (cold first boot: migrations + demo data), stops it, and spawns it again on
 * the same directory (warm boot); each time it measures spawn to the first answered request and the
 * process's resident memory then. Latency: an in-process server on the same data, with a rate limit
 * lifted out of the way (the defaults are meant for people and would throttle the benchmark).
 * With DATABASE_URL set, the latency part runs against that PostgreSQL instead.
 */
const DEEP_QUERY = `{ clients(first: 10) { totalCount edges { node { name shops(first: 5) { edges { node { name
  products(first: 20) { totalCount edges { node { sku price { amount } } } }
  campaigns(first: 10) { edges { node { name products { sku } enrollments(first: 25) { totalCount edges { node { status creator { handle } } } } } } } } } } } } } }`;

async function post(url: string, query: string, token?: string): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const MAIN_JS = join(__dirname, '..', 'main.js');
const SIGKILL_AFTER_MS = 15_000;
const BOOT_TIMEOUT_MS = 120_000;

/** Resident set size of a running process in MiB, from /proc (Linux); null elsewhere. */
function rssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface BootFigures {
  readyMs: number;
  firstAnswerMs: number;
  rssMiB: number | null;
  stopMs: number;
  killed: boolean;
}

/** Resolves with the URL from the server's `Agency Graph is ready at <url>` line. */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within ${BOOT_TIMEOUT_MS} ms`)), BOOT_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Agency Graph is ready at (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${err}`));
    });
  });
}

/** Polls with a GraphQL POST until the server answers it (any GraphQL response counts). */
async function firstAnswer(url: string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  for (;;) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      const body = (await res.json()) as { data?: unknown; errors?: unknown };
      if (body.data || body.errors) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${BOOT_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** SIGTERM, then wait for the exit; SIGKILL after SIGKILL_AFTER_MS if it does not come. */
async function stop(child: ChildProcess): Promise<{ stopMs: number; killed: boolean }> {
  const start = Date.now();
  if (child.exitCode !== null || child.signalCode !== null) return { stopMs: 0, killed: false };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, SIGKILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
  return { stopMs: Date.now() - start, killed };
}

/** Spawns `node dist/src/main.js` on the embedded database in dataDir and times it to its first answer. */
async function bootRealServer(dataDir: string): Promise<BootFigures> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', SEED_DEMO: 'true' };
  // The embedded database, on its own: no shared PostgreSQL or Redis of the caller's shell.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
  const child = spawn(process.execPath, [MAIN_JS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await readyUrl(child);
    const readyMs = elapsed();
    await firstAnswer(url);
    const firstAnswerMs = elapsed();
    const rss = rssMiB(child.pid!);
    return { readyMs, firstAnswerMs, rssMiB: rss, ...(await stop(child)) };
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  }
}

function printBoot(label: string, figures: BootFigures): void {
  const rss = figures.rssMiB === null ? 'n/a' : `${figures.rssMiB.toFixed(0)} MiB`;
  console.log(
    `${label.padEnd(34)} first answer ${figures.firstAnswerMs.toFixed(0)} ms (ready line ${figures.readyMs.toFixed(0)} ms), ` +
      `RSS ${rss}, SIGTERM to exit ${figures.stopMs} ms${figures.killed ? ' (did not exit: SIGKILL)' : ''}`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(server: RunningServer, token: string, name: string, query: string, runs: number): Promise<void> {
  for (let i = 0; i < 5; i++) await post(server.url, query, token); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await post(server.url, query, token);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  (${runs} sequential requests)`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agency-graph-bench-'));
  const log = new AppLogger('error');
  try {
    console.log(`node dist/src/main.js, embedded database, PORT=0 (spawn to first answered POST /graphql):`);
    printBoot('  cold first boot (migrations+demo)', await bootRealServer(dataDir));
    printBoot('  warm boot (data kept)', await bootRealServer(dataDir));

    const config = loadConfig({
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'error',
      SEED_DEMO: process.env.SEED_DEMO ?? 'true',
      // The default limits (600 a minute, bursts of 120) are for people; this sends ~500 requests in seconds.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST: '1000000',
      // The deep tree is priced for full lists (500 products a campaign) though the demo's are small.
      QUERY_MAX_COST: '20000000',
    });
    const start = Date.now();
    const server = await createServer(config, { log });
    console.log(`in-process server for the latencies (${config.databaseUrl ? 'PostgreSQL at DATABASE_URL' : 'embedded, warm'}): ${Date.now() - start} ms`);
    const login = (await post(server.url, `mutation { login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_ADMIN_PASSWORD}") { token } }`)) as {
      login: { token: string };
    };
    const token = login.login.token;
    await latency(server, token, 'clients { totalCount }', '{ clients { totalCount } }', 200);
    await latency(server, token, 'creators(first: 100) with filter', '{ creators(first: 100, filter: { search: "a", minFollowers: 1000 }) { totalCount edges { node { handle niches } } } }', 200);
    await latency(server, token, 'deep tree (4 levels, ~250 rows)', DEEP_QUERY, 50);
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(`resident memory after the runs:         ${rss.toFixed(0)} MiB (server and benchmark in one process)`);
    await server.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
