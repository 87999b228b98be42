import { Client } from 'pg';
import request from 'supertest';
import { QUERY_LIMITS } from '../src/common/limits';
import { AppLogger } from '../src/common/logger';
import { ClientsDocument, LoginDocument } from './generated/graphql';
import { TEST_DATABASE_URL } from './support/database';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

const VIEWER = '{ viewer { id } }';

/** A logger that keeps its JSON lines for the test to read. */
function capturingLogger(level: 'warn' | 'info' = 'warn') {
  const lines: string[] = [];
  const log = new AppLogger(level, { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Sessions of this test itself carry this name; every other session on the test database is the server's. */
const TEST_APPLICATION = 'resilience-test';

/** A connection of the test's own to the server's database (not one of the server's). */
async function connectTo(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: TEST_APPLICATION });
  await client.connect();
  return client;
}

/** Holds ACCESS EXCLUSIVE on `clients` until released: every read of clients waits for it. */
async function lockClients(url: string): Promise<{ release(): Promise<void> }> {
  const client = await connectTo(url);
  await client.query('BEGIN');
  await client.query('LOCK TABLE clients IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Waits until `n` of the server's sessions are waiting for a lock. */
async function waitForLockWaiters(admin: Client, database: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2 AND wait_event_type = 'Lock'`,
      [database, TEST_APPLICATION],
    );
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${n} requests waiting for the lock`);
}

/** Ends every session the API server holds on its database (as a failover or restart would). */
async function terminateServerConnections(admin: Client, database: string): Promise<number> {
  const { rows } = await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2 AND pid <> pg_backend_pid()`,
    [database, TEST_APPLICATION],
  );
  return rows.length;
}

function expectServiceUnavailable(res: GqlResult<unknown>): void {
  expect(res.status).toBe(503);
  expect(codes(res)).toContain('SERVICE_UNAVAILABLE');
  const error = res.errors!.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')!;
  const retry = error.extensions?.retryAfterSeconds as number;
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(res.headers['retry-after']).toBe(String(retry));
  expect(error.extensions).not.toHaveProperty('http');
}

async function timedReadyz(t: TestServer): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  const res = await request(`http://127.0.0.1:${t.server.port}`).get('/readyz');
  return { status: res.status, body: res.body, ms: Date.now() - started };
}

describe('rate limiting runs before parsing, validation and the database', () => {
  let t: TestServer;
  let member: TestAgency;
  beforeAll(async () => {
    t = await startTestServer({ env: { RATE_LIMIT_BURST: '5', RATE_LIMIT_PER_MINUTE: '6' } });
    member = await t.createAgency(); // one anonymous token (the login), from 127.0.0.1
  });
  afterAll(() => t.stop());

  it('answers a member over the limit 429 for 50 invalid documents without one SQL statement', async () => {
    for (let i = 0; i < 5; i++) expect((await t.gql(VIEWER, {}, member.token)).status).toBe(200);
    t.sql.reset();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => t.gql(`{ nope${i} }`, {}, member.token)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(429));
    for (const res of responses) {
      expect(codes(res)).toEqual(['RATE_LIMITED']);
      expect(res.headers['retry-after']).toBe(String(res.errors![0].extensions!.retryAfterSeconds));
    }
    expect(t.sql.statements).toEqual([]);
  });

  it('counts signed-out documents that never validate, and refuses them unparsed once over the limit', async () => {
    // 550 copies of one field and an unknown one: validation fails, so it never reached a resolver.
    const heavy = `{ ${'viewer { id } '.repeat(550)} nope }`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      t.sql.reset();
      const res = await t.gql(heavy);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(codes(res)).toEqual(['RATE_LIMITED']);
        expect(t.sql.count).toBe(0);
      } else {
        // Refused before validation (see below), but counted first.
        expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
      }
    }
    // The login spent one of the address's 5 tokens: 4 documents are validated, the rest refused.
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429, 429, 429]);
  });

  it('does not let an invalid token or an unknown API key escape the address bucket', async () => {
    // The address's bucket is empty (drained above; refills one per 10 s): make sure of it.
    for (let i = 0; i < 10 && (await t.gql('{ __typename }')).status !== 429; i++);
    for (const authorization of ['Bearer not-a-jwt', 'Bearer agk_0123456789ab_fake-secret-of-some-length']) {
      const res = await t.gql(VIEWER, {}, { authorization });
      expect(res.status).toBe(429);
      expect(codes(res)).toEqual(['RATE_LIMITED']);
    }
  });
});

describe('document size', () => {
  let t: TestServer;
  let member: TestAgency;
  beforeAll(async () => {
    t = await startTestServer();
    member = await t.createAgency();
  });
  afterAll(() => t.stop());

  it('refuses a query document over the length limit before parsing it (413 QUERY_TOO_COMPLEX)', async () => {
    // A long comment: few tokens, so only the length check can refuse it.
    const query = `# ${'x'.repeat(QUERY_LIMITS.maxQueryLength)}\n{ viewer { id } }`;
    t.sql.reset();
    const res = await t.gql(query, {}, member.token);
    expect(res.status).toBe(413);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.errors![0].extensions).toMatchObject({ limit: QUERY_LIMITS.maxQueryLength, length: query.length });
    expect(t.sql.count).toBe(0);
    // Just under the limit is served.
    const fits = `# ${'x'.repeat(QUERY_LIMITS.maxQueryLength - 40)}\n{ viewer { id } }`;
    expect((await t.gql(fits, {}, member.token)).status).toBe(200);
  });
});

describe('documents whose validation would be quadratic', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('refuses 550 copies of one field before validating them (400 QUERY_TOO_COMPLEX), signed out or in', async () => {
    const member = await t.createAgency();
    for (const token of [undefined, member.token]) {
      // `nope` does not exist: had validation run on, it would be reported too.
      const res = await t.gql(`{ ${'viewer { id } '.repeat(550)} nope }`, {}, token);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(res.errors![0].extensions).toMatchObject({ limit: QUERY_LIMITS.maxRepeatedSelections, selection: 'viewer' });
    }
    const spreads = await t.gql(`{ viewer { ${'...F '.repeat(30)} } } fragment F on Member { id }`, {}, member.token);
    expect(codes(spreads)).toEqual(['QUERY_TOO_COMPLEX']);
    // A few repeats are ordinary (merged by GraphQL) and served.
    const fine = await t.gql(`{ ${'viewer { id } '.repeat(QUERY_LIMITS.maxRepeatedSelections)} }`, {}, member.token);
    expect(fine.status).toBe(200);
    expect(fine.data).toEqual({ viewer: { id: expect.any(String) } });
  });
});

describe('with Redis unreachable', () => {
  let t: TestServer;
  const logs = capturingLogger('warn');
  beforeAll(async () => {
    t = await startTestServer({ log: logs.log, env: { REDIS_URL: 'redis://127.0.0.1:6390', RATE_LIMIT_BURST: '4', RATE_LIMIT_PER_MINUTE: '6' } });
  });
  afterAll(() => t.stop());

  it('still signs in and serves, limiting per node, logs one JSON warning, and /readyz says 503', async () => {
    const member = await t.createAgency();
    const login = await t.gql(LoginDocument, { email: member.email, password: 'correct-horse-battery' });
    expect(login.status).toBe(200);
    expect(login.data?.login.token).toEqual(expect.any(String));
    for (let i = 0; i < 4; i++) expect((await t.gql(ClientsDocument, {}, member.token)).status).toBe(200);
    const limited = await t.gql(ClientsDocument, {}, member.token);
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);

    const ready = await timedReadyz(t);
    expect(ready).toMatchObject({ status: 503, body: { status: 'redis unreachable' } });
    expect(ready.ms).toBeLessThan(1000);

    const warnings = logs.parsed().filter((l) => /Redis unreachable/.test(String(l.msg)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', error: expect.any(String) });
  });
});

describe('database faults', () => {
  let t: TestServer;
  let member: TestAgency;
  let admin: Client;
  const logs = capturingLogger('warn');
  beforeAll(async () => {
    t = await startTestServer({ log: logs.log, env: { DB_POOL_SIZE: '2', DB_ACQUIRE_TIMEOUT_MS: '500' } });
    member = await t.createAgency();
    admin = await connectTo(TEST_DATABASE_URL);
  });
  afterAll(async () => {
    await admin.end();
    await t.stop();
  });

  it('answers 503 with Retry-After within the acquire timeout when locks hold every pooled connection; /readyz says 503 within a second', async () => {
    const lock = await lockClients(t.database.url);
    let held: Array<Promise<GqlResult<unknown>>> = [];
    try {
      // Two requests wait on the lock, each holding one of the pool's two connections.
      held = [t.gql(ClientsDocument, {}, member.token), t.gql(ClientsDocument, {}, member.token)];
      await waitForLockWaiters(admin, t.database.name, 2);

      const started = Date.now();
      const refused = await t.gql(VIEWER, {}, member.token);
      const waited = Date.now() - started;
      expectServiceUnavailable(refused);
      expect(waited).toBeGreaterThanOrEqual(450);
      expect(waited).toBeLessThan(2000);

      const ready = await timedReadyz(t);
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(1200);
    } finally {
      await lock.release();
    }
    // The held requests finish once the lock goes; then everything works again.
    for (const res of await Promise.all(held)) expect(res.status).toBe(200);
    expect((await t.gql(VIEWER, {}, member.token)).status).toBe(200);
    expect((await timedReadyz(t)).status).toBe(200);
  });

  it('answers a retryable 503 when the server loses its database connection mid-request, and the next request works', async () => {
    const lock = await lockClients(t.database.url);
    let cut: GqlResult<unknown>;
    try {
      const pending = t.gql(ClientsDocument, {}, member.token);
      await waitForLockWaiters(admin, t.database.name, 1);
      expect(await terminateServerConnections(admin, t.database.name)).toBeGreaterThanOrEqual(1);
      cut = await pending;
    } finally {
      await lock.release();
    }
    expectServiceUnavailable(cut!);
    // Idle connections were terminated too: the pool replaces them without a failed request.
    expect((await t.gql(ClientsDocument, {}, member.token)).status).toBe(200);
    expect((await timedReadyz(t)).status).toBe(200);
    const unavailable = logs.parsed().filter((l) => l.msg === 'database unavailable');
    expect(unavailable.length).toBeGreaterThanOrEqual(1);
    expect(unavailable[0].requestId).toEqual(expect.any(String));
  });

  it('says 503 on /readyz and to requests while the database refuses connections, and recovers', async () => {
    await admin.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS false`);
    try {
      await terminateServerConnections(admin, t.database.name);
      const ready = await timedReadyz(t);
      expect(ready).toMatchObject({ status: 503, body: { status: 'database unreachable' } });
      expect(ready.ms).toBeLessThan(1000);
      expectServiceUnavailable(await t.gql(ClientsDocument, {}, member.token));
    } finally {
      await admin.query(`ALTER DATABASE "${t.database.name}" ALLOW_CONNECTIONS true`);
    }
    expect((await timedReadyz(t)).status).toBe(200);
    expect((await t.gql(ClientsDocument, {}, member.token)).status).toBe(200);
  });
});
