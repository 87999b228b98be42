import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, TestDatabase } from './support/database';

/**
 * Shutdown of the real built server (`node dist/src/main.js`, production mode), as an operator
 * or a container runtime does it: SIGTERM. In-flight requests finish, idle keep-alive clients do
 * not hold the exit, the process exits 0 within the grace period.
 */
const ROOT = resolve(__dirname, '..');
const GRACE_MS = 10_000;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Spawned {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function spawnServer(env: Record<string, string>): Promise<Spawned> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
      PORT: '0',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal, at: Date.now() })),
  );
  return new Promise((resolvePort, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /ready at http:\/\/localhost:(\d+)\//.exec(out);
      if (match) resolvePort({ child, port: Number(match[1]), stderr: () => err, exited });
    });
    void exited.then(({ code }) => reject(new Error(`server exited (${code}) before it was ready:\n${err}`)));
  });
}

/** Sends a GraphQL request's headers at once and its body only when `release` is called. */
function slowRequest(port: number): { release: () => void; response: Promise<{ status: number; body: string }> } {
  const body = JSON.stringify({ query: '{ __typename }' });
  const req = http.request({ port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const response = new Promise<{ status: number; body: string }>((res, rej) => {
    req.on('response', (r) => {
      let text = '';
      r.on('data', (d: Buffer) => (text += d.toString()));
      r.on('end', () => res({ status: r.statusCode ?? 0, body: text }));
    });
    req.on('error', rej);
  });
  req.flushHeaders();
  return { release: () => req.end(body), response };
}

async function readyz(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return res.status;
}

/** SIGTERM with one slow in-flight request: it completes, /readyz says 503 meanwhile, exit 0. */
async function drainsAndExits(server: Spawned): Promise<void> {
  const slow = slowRequest(server.port);
  await new Promise((r) => setTimeout(r, 200)); // the server has seen the request's headers
  const sentAt = Date.now();
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  // New connections are refused once the port is closed; the in-flight request is still served.
  await expect(readyz(server.port)).rejects.toThrow();
  slow.release();
  const answer = await slow.response;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });
  const { code, at } = await server.exited;
  expect(code).toBe(0);
  expect(at - sentAt).toBeLessThan(GRACE_MS);
  expect(server.stderr()).toMatch(/"msg":"stopped"/);
}

describe('shutdown of the built server', () => {
  beforeAll(() => {
    // The test runs what `npm start` runs: compile first if a source changed since the last build.
    execFileSync(process.execPath, [join(ROOT, 'scripts/built.mjs'), '--build-only'], { cwd: ROOT, stdio: 'inherit' });
  });

  describe('embedded database', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agency-graph-shutdown-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('refuses a second server on the same DATA_DIR, then drains a slow request and exits 0 on SIGTERM', async () => {
      const server = await spawnServer({ DATA_DIR: dataDir });
      try {
        expect(await readyz(server.port)).toBe(200);
        const second = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-characters', PORT: '0', DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let err = '';
        second.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        const code = await new Promise<number | null>((r) => second.once('exit', r));
        expect(code).toBe(1);
        expect(err.trim().split('\n')).toHaveLength(1);
        expect(err).toContain(`in use by another Agency Graph process (pid ${server.child.pid}`);

        await drainsAndExits(server);
      } finally {
        server.child.kill('SIGKILL');
      }
      // The data survived the stop and the lock was released: the next start opens it.
      const again = await spawnServer({ DATA_DIR: dataDir });
      again.child.kill('SIGTERM');
      expect((await again.exited).code).toBe(0);
    }, 90_000);
  });

  describe('PostgreSQL', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('with REDIS_URL set: drains a slow request and exits 0 on SIGTERM', async () => {
      const server = await spawnServer({ DATABASE_URL: database.url, REDIS_URL });
      try {
        await drainsAndExits(server);
      } finally {
        server.child.kill('SIGKILL');
      }
    }, 60_000);

    it('with SHUTDOWN_READINESS_DELAY_MS: /readyz answers 503 while requests are still served, then exits 0', async () => {
      const server = await spawnServer({ DATABASE_URL: database.url, SHUTDOWN_READINESS_DELAY_MS: '1500' });
      try {
        expect(await readyz(server.port)).toBe(200);
        server.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        expect(await readyz(server.port)).toBe(503);
        const res = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
        expect((await server.exited).code).toBe(0);
      } finally {
        server.child.kill('SIGKILL');
      }
    }, 60_000);

    it('an idle keep-alive client does not hold the exit', async () => {
      const server = await spawnServer({ DATABASE_URL: database.url });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const status = await new Promise<number>((res, rej) =>
          http.get({ port: server.port, path: '/healthz', agent }, (r) => {
            r.resume();
            r.on('end', () => res(r.statusCode ?? 0));
          }).on('error', rej),
        );
        expect(status).toBe(200);
        // A raw socket that never sends anything, like a browser's preconnect.
        const idle = net.connect(server.port, '127.0.0.1');
        await new Promise((r) => idle.once('connect', r));
        const sentAt = Date.now();
        server.child.kill('SIGTERM');
        const { code, at } = await server.exited;
        expect(code).toBe(0);
        expect(at - sentAt).toBeLessThan(3000);
        idle.destroy();
      } finally {
        agent.destroy();
        server.child.kill('SIGKILL');
      }
    }, 60_000);

    it('cuts a request that outlives the grace period and still exits 0; a second signal exits at once', async () => {
      const server = await spawnServer({ DATABASE_URL: database.url, SHUTDOWN_GRACE_MS: '1000' });
      const stuck = slowRequest(server.port); // its body never comes
      stuck.response.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      const sentAt = Date.now();
      server.child.kill('SIGTERM');
      const { code, at } = await server.exited;
      expect(code).toBe(0);
      expect(at - sentAt).toBeGreaterThanOrEqual(900);
      expect(at - sentAt).toBeLessThan(5000);
      expect(server.stderr()).toMatch(/grace period over/);

      const impatient = await spawnServer({ DATABASE_URL: database.url, SHUTDOWN_GRACE_MS: '30000' });
      const held = slowRequest(impatient.port);
      held.response.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      const firstAt = Date.now();
      impatient.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      impatient.child.kill('SIGINT');
      const second = await impatient.exited;
      expect(second.code).toBe(1);
      expect(second.at - firstAt).toBeLessThan(5000);
    }, 60_000);
  });
});
