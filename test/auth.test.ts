import jwt from 'jsonwebtoken';
import { ClientsDocument, LoginDocument, ViewerDocument } from './generated/graphql';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Acme Agency');
});
afterAll(() => t.stop());

describe('login', () => {
  it('returns a signed token that works as a bearer token', async () => {
    const { login } = await t.ok(LoginDocument, { email: acme.email.toUpperCase(), password: 'correct-horse-battery' });
    expect(login.member.email).toBe(acme.email);
    expect(login.member.role).toBe('AGENCY_ADMIN');
    expect(login.member.agency.name).toBe('Acme Agency');
    expect(new Date(login.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);

    const { viewer, agency } = await t.ok(ViewerDocument, {}, login.token);
    expect(viewer?.email).toBe(acme.email);
    expect(agency.slug).toBe('acme-agency');
    expect(agency.members.totalCount).toBe(1);
  });

  it('refuses a wrong password and an unknown e-mail with the same UNAUTHENTICATED error', async () => {
    const wrong = await t.gql(LoginDocument, { email: acme.email, password: 'nope-nope-nope' });
    const unknown = await t.gql(LoginDocument, { email: 'nobody@example.com', password: 'nope-nope-nope' });
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(codes(unknown)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors?.[0].message).toBe(unknown.errors?.[0].message);
    expect(wrong.data).toBeNull();
  });

  it('rejects a malformed e-mail as BAD_USER_INPUT naming the variable', async () => {
    const res = await t.gql(LoginDocument, { email: 'not-an-email', password: 'x' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['email']);
  });
});

describe('every other operation needs a bearer token', () => {
  it('answers UNAUTHENTICATED without a token, before any resolver runs', async () => {
    t.sql.reset();
    const res = await t.gql(ClientsDocument, {});
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
    expect(t.sql.count).toBe(0);
  });

  it('refuses a malformed header, a forged token and an expired token, saying why', async () => {
    const malformed = await t.gql(ClientsDocument, {}, { authorization: `Token ${acme.token}` });
    expect(codes(malformed)).toEqual(['UNAUTHENTICATED']);
    expect(malformed.errors?.[0].message).toMatch(/Bearer/);

    const forged = jwt.sign({ agency: acme.agencyId }, 'another-secret-of-at-least-32-characters', {
      subject: acme.memberId,
      issuer: 'agency-graph',
    });
    const forgedRes = await t.gql(ClientsDocument, {}, forged);
    expect(codes(forgedRes)).toEqual(['UNAUTHENTICATED']);
    expect(forgedRes.errors?.[0].message).toMatch(/invalid token/i);

    const expired = jwt.sign({ agency: acme.agencyId }, 'test-secret-that-is-at-least-32-characters-long', {
      subject: acme.memberId,
      issuer: 'agency-graph',
      expiresIn: -10,
    });
    const expiredRes = await t.gql(ClientsDocument, {}, expired);
    expect(codes(expiredRes)).toEqual(['UNAUTHENTICATED']);
    expect(expiredRes.errors?.[0].message).toMatch(/expired/i);
  });

  it('refuses a token whose agency claim was changed to another agency', async () => {
    const other = await t.createAgency('Other Agency');
    const tampered = jwt.sign({ agency: other.agencyId }, 'test-secret-that-is-at-least-32-characters-long', {
      subject: acme.memberId,
      issuer: 'agency-graph',
    });
    expect(codes(await t.gql(ClientsDocument, {}, tampered))).toEqual(['UNAUTHENTICATED']);
  });

  it('cannot hide a protected field behind a fragment next to login', async () => {
    const res = await t.gql('query { ...F } fragment F on Query { clients { totalCount } }');
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets anyone introspect the schema (Sandbox needs it to offer login)', async () => {
    const res = await t.gql('{ __schema { queryType { name } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
