import 'reflect-metadata';
import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import request from 'supertest';
import { AppLogger } from '../../src/common/logger';
import { loadConfig } from '../../src/config';
import { AgencyService } from '../../src/modules/agency/agency.service';
import { createServer, RunningServer } from '../../src/server';
import { createTestDatabase, TestDatabase } from './database';
import { SqlCounter } from './sql-counter';

export interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; fields?: Record<string, string[]>; [key: string]: unknown };
}

export interface GqlResult<R> {
  status: number;
  headers: Record<string, string>;
  data: R | null | undefined;
  errors: GqlError[] | undefined;
}

export type Credentials = string | { authorization: string } | undefined;

export interface TestAgency {
  agencyId: string;
  memberId: string;
  email: string;
  token: string;
}

export interface TestServer {
  server: RunningServer;
  database: TestDatabase;
  sql: SqlCounter;
  /**
   * Runs an operation through HTTP as the given token (none: anonymous); pass
   * `{ authorization }` to send a raw Authorization header instead.
   */
  gql<R, V>(document: TypedDocumentNode<R, V> | string, variables?: V, token?: Credentials): Promise<GqlResult<R>>;
  /** Like gql, but fails the test on any error and returns data. */
  ok<R, V>(document: TypedDocumentNode<R, V>, variables?: V, token?: string): Promise<R>;
  /** A new agency with an AGENCY_ADMIN, signed in. */
  createAgency(name?: string): Promise<TestAgency>;
  stop(): Promise<void>;
}

let agencyCounter = 0;

/** The real app on a fresh PostgreSQL database of its own, listening on a free port. */
export interface TestServerOptions {
  log?: AppLogger;
  env?: Record<string, string>;
  /** A second API node on the first one's database (it is dropped by the first one's stop()). */
  shareDatabaseOf?: TestServer;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const shared = options.shareDatabaseOf?.database;
  const database = shared ?? (await createTestDatabase());
  const sql = new SqlCounter();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    PORT: '0',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'error',
    // Tests fire requests far faster than people; the rate-limit test sets its own numbers.
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...options.env,
  });
  const server = await createServer(config, { sqlLogger: sql, log: options.log ?? new AppLogger('error') });
  const http = request(`http://127.0.0.1:${server.port}`);

  const gql = async <R, V>(document: TypedDocumentNode<R, V> | string, variables?: V, token?: Credentials): Promise<GqlResult<R>> => {
    const req = http.post('/graphql').set('content-type', 'application/json');
    if (typeof token === 'string') req.set('authorization', `Bearer ${token}`);
    else if (token) req.set('authorization', token.authorization);
    const res = await req.send({ query: typeof document === 'string' ? document : print(document), variables });
    return { status: res.status, headers: res.headers as Record<string, string>, data: res.body.data, errors: res.body.errors };
  };

  const ok = async <R, V>(document: TypedDocumentNode<R, V>, variables?: V, token?: string): Promise<R> => {
    const result = await gql(document, variables, token);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
    return result.data as R;
  };

  const createAgency = async (name = `Agency ${++agencyCounter}`): Promise<TestAgency> => {
    const email = `admin-${agencyCounter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const password = 'correct-horse-battery';
    const { agency, admin } = await new AgencyService().createWithAdmin(server.db, { name, adminEmail: email, adminPassword: password });
    const res = await gql<{ login: { token: string } }, { email: string; password: string }>(
      'mutation ($email: EmailAddress!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email, password },
    );
    if (!res.data) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
    return { agencyId: agency.id, memberId: admin.id, email, token: res.data.login.token };
  };

  return {
    server,
    database,
    sql,
    gql,
    ok,
    createAgency,
    async stop() {
      await server.stop();
      if (!shared) await database.drop();
    },
  };
}

/** The codes of a result's errors, for short assertions. */
export function codes(result: { errors?: GqlError[] }): Array<string | undefined> {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}
