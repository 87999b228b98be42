import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppLogger } from '../common/logger';
import { loadConfig } from '../config';
import { createServer, RunningServer } from '../server';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './demo-data';

/**
 * npm run bench — boot times of the embedded database and request latencies on the demo data.
 * Prints figures; asserts nothing (targets are judged by people reading them).
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
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', SEED_DEMO: process.env.SEED_DEMO ?? 'true' });
    const embedded = !config.databaseUrl;
    let start = Date.now();
    let server = await createServer(config, { log });
    console.log(`boot, ${embedded ? 'embedded, cold (migrations + demo data)' : 'PostgreSQL'}: ${Date.now() - start} ms`);
    if (embedded) {
      await server.stop();
      start = Date.now();
      server = await createServer(config, { log });
      console.log(`boot, embedded, warm (data kept):       ${Date.now() - start} ms`);
    }
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
