import { AppLogger } from '../src/common/logger';
import { CreatorsDocument } from './generated/graphql';
import { codes, startTestServer, TestServer } from './support/server';

/** Captures what the server logs instead of printing it. */
class CapturingLogger extends AppLogger {
  readonly errors: Array<{ message: string; fields: Record<string, unknown> }> = [];
  constructor() {
    super('error');
  }
  override error(message: string, fields: Record<string, unknown> = {}): void {
    this.errors.push({ message, fields });
  }
}

let t: TestServer;
const log = new CapturingLogger();

beforeAll(async () => {
  t = await startTestServer({ log });
});
afterAll(() => t.stop());

describe('errors', () => {
  it('masks an unexpected failure as INTERNAL_SERVER_ERROR and logs it with the request id', async () => {
    const acme = await t.createAgency();
    // A real failure below the API: the table the query needs is gone.
    await t.server.db.query('ALTER TABLE creators RENAME TO creators_gone');
    try {
      const res = await t.gql(CreatorsDocument, {}, acme.token);
      expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(res.errors?.[0].message).toBe('Internal server error');
      expect(res.errors?.[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(JSON.stringify(res.errors)).not.toMatch(/relation|stack|sql/i);
      expect(log.errors).toHaveLength(1);
      // The caller can quote the request id it was given; the log line carries the same one.
      expect(log.errors[0].fields.requestId).toBe(res.headers['x-request-id']);
      expect(String(log.errors[0].fields.error)).toMatch(/creators/);
    } finally {
      await t.server.db.query('ALTER TABLE creators_gone RENAME TO creators');
    }
  });

  it('answers a syntax error and an unknown field as BAD_USER_INPUT, saying what is wrong', async () => {
    const acme = await t.createAgency();
    const syntax = await t.gql('{ clients { ', {}, acme.token);
    expect(codes(syntax)).toEqual(['BAD_USER_INPUT']);
    expect(syntax.errors?.[0].extensions?.reason).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await t.gql('{ clients { nope } }', {}, acme.token);
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors?.[0].message).toMatch(/nope/);
  });

  it('names the argument path (not the variable) when a variable has the wrong type', async () => {
    const acme = await t.createAgency();
    const res = await t.gql(
      'mutation ($shop: CreateShopInput!) { createShop(input: $shop) { id } }',
      { shop: { clientId: 'x', name: 'S', externalId: 'e', region: 'US', currency: 'DOLLARS', timeZone: 'UTC' } },
      acme.token,
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['input.currency']);
  });
});
