import request from 'supertest';
import { startTestServer, TestAgency, TestServer } from './support/server';

/**
 * POST /graphql with a plain JSON body is served without Express (src/graphql-post.ts); every
 * other request still goes through Express. Both must answer alike: the same statuses, bodies,
 * error shapes and headers.
 */
let t: TestServer;
let acme: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency();
  await t.gql('mutation { createClient(input: { name: "Fast Path Client" }) { id } }', {}, acme.token);
});
afterAll(() => t.stop());

const http = () => request(`http://127.0.0.1:${t.server.port}`);
const query = JSON.stringify({ query: '{ clients(first: 5) { totalCount edges { node { name } } } }' });

/**
 * The same request on the fast path, and through Express: a second node on the same database
 * with CORS configured sends requests that carry an Origin through Express (which answers CORS).
 */
let corsNode: TestServer;
const ORIGIN = 'https://app.example';
beforeAll(async () => {
  corsNode = await startTestServer({ env: { CORS_ORIGINS: ORIGIN }, shareDatabaseOf: t });
});
afterAll(() => corsNode.stop());

async function bothWays(body: string, headers: Record<string, string> = {}) {
  const plain = await http().post('/graphql').set({ 'content-type': 'application/json', ...headers }).send(body);
  const viaExpress = await request(`http://127.0.0.1:${corsNode.server.port}`)
    .post('/graphql')
    .set({ 'content-type': 'application/json', origin: ORIGIN, ...headers })
    .send(body);
  expect(viaExpress.headers['access-control-allow-origin']).toBe(ORIGIN); // it did go through Express
  return { plain, viaExpress };
}

it('answers a query the same way on both paths', async () => {
  const { plain, viaExpress } = await bothWays(query, { authorization: `Bearer ${acme.token}` });
  expect(plain.status).toBe(200);
  expect(plain.body).toEqual({ data: { clients: { totalCount: 1, edges: [{ node: { name: 'Fast Path Client' } }] } } });
  expect(viaExpress.status).toBe(200);
  expect(viaExpress.body).toEqual(plain.body);
  for (const res of [plain, viaExpress]) {
    expect(res.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json; charset=utf-8$/);
    expect(res.headers['x-request-id']).toMatch(/^[\w.-]+$/);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  }
  expect(plain.headers['content-type']).toBe(viaExpress.headers['content-type']);
});

it('echoes a given request id, and refuses anonymous work with the same error on both paths', async () => {
  const { plain, viaExpress } = await bothWays(query, { 'x-request-id': 'trace-123' });
  expect(plain.headers['x-request-id']).toBe('trace-123');
  expect(viaExpress.headers['x-request-id']).toBe('trace-123');
  expect(plain.status).toBe(viaExpress.status);
  expect(plain.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(viaExpress.body).toEqual(plain.body);
});

it('answers a body that is not JSON, or JSON that is not an object, with 400 BAD_USER_INPUT', async () => {
  for (const body of ['{"query": ', '"just a string"', 'null', '42']) {
    const { plain, viaExpress } = await bothWays(body);
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0]).toMatchObject({ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } });
    expect(viaExpress.status).toBe(400);
    expect(viaExpress.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  }
});

it('refuses a body over 2 MB with 413, whether or not it declares its length', async () => {
  const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
  const declared = await http().post('/graphql').set('content-type', 'application/json').send(big);
  expect(declared.status).toBe(413);
  expect(declared.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: '2mb' });
  const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = require('node:http').request(
      { host: '127.0.0.1', port: t.server.port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res: import('node:http').IncomingMessage) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    for (let i = 0; i < 3; i++) req.write(big.slice(i * 1_000_000, (i + 1) * 1_000_000));
    req.end(big.slice(3_000_000));
  });
  expect(chunked.status).toBe(413);
  expect(JSON.parse(chunked.body).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
});

it('takes an empty body as an empty request, as Express does (a missing query)', async () => {
  const { plain, viaExpress } = await bothWays('');
  expect(plain.status).toBe(400);
  expect(viaExpress.status).toBe(400);
  expect(plain.body).toEqual(viaExpress.body);
});
