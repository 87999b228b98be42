/**
 * Changing what exists: updateShop, updateEnrollment, changePassword, with their validation,
 * tenancy (another agency's ids are NOT_FOUND like missing ones), roles and audit entries.
 */
import { randomUUID } from 'node:crypto';
import {
  AccessTestAuditLogDocument,
  AccessTestCreateMemberDocument,
  CreateApiKeyDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  EnrollCreatorsDocument,
  EnrollmentsTestSetStatusDocument,
  LoginDocument,
  LookupsTestShopDocument,
  ManagementTestChangePasswordDocument,
  ManagementTestUpdateEnrollmentDocument,
  ManagementTestUpdateShopDocument,
  SetCampaignStatusDocument,
  ViewerDocument,
} from './generated/graphql';
import { missingId } from './support/ids';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
const PASSWORD = 'correct-horse-battery';
let counter = 0;

/** Asserts one error with this code and, when given, exactly these extensions.fields keys; no data. */
function expectError(res: GqlResult<unknown>, code: string, fields?: string[]): void {
  expect(codes(res)).toEqual([code]);
  if (fields) expect(Object.keys(res.errors?.[0].extensions?.fields ?? {}).sort()).toEqual([...fields].sort());
  expect(res.data ?? null).toBeNull();
}

interface World {
  agency: TestAgency;
  token: string;
  clientId: string;
  shopId: string;
  campaignId: string;
  creatorIds: string[];
}

async function world(label: string): Promise<World> {
  const agency = await t.createAgency(`${label} ${++counter}`);
  const token = agency.token;
  const { createClient } = await t.ok(CreateClientDocument, { input: { name: `${label} Client` } }, token);
  const { createShop } = await t.ok(
    CreateShopDocument,
    { input: { clientId: createClient.id, name: `${label} Shop`, externalId: `ext-${randomUUID()}`, region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
    token,
  );
  const { createCampaign } = await t.ok(
    CreateCampaignDocument,
    { input: { shopId: createShop.id, name: `${label} Campaign`, objective: 'SALES', startDate: '2026-01-01', commissionRateBps: 1000 } },
    token,
  );
  const creatorIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    creatorIds.push((await t.ok(CreateCreatorDocument, { input: { handle: `mgmt_${++counter}`, followerCount: 10 } }, token)).createCreator.id);
  }
  return { agency, token, clientId: createClient.id, shopId: createShop.id, campaignId: createCampaign.id, creatorIds };
}

/** A signed-in member of `role`, with their e-mail for signing in again. */
async function member(w: World, role: string, clientId?: string): Promise<{ token: string; email: string; id: string }> {
  const email = `${role.toLowerCase()}-${++counter}@example.com`;
  const { createMember } = await t.ok(AccessTestCreateMemberDocument, { input: { email, name: role, role: role as never, clientId, password: PASSWORD } }, w.token);
  return { token: (await t.ok(LoginDocument, { email, password: PASSWORD })).login.token, email, id: createMember.id };
}

async function apiKey(w: World, scope: 'READ' | 'WRITE' | 'INGEST' | 'ALERTS'): Promise<string> {
  return (await t.ok(CreateApiKeyDocument, { name: `key ${scope}`, scopes: [scope] }, w.token)).createApiKey.secret;
}

async function auditOf(w: World, operation: string) {
  return (await t.ok(AccessTestAuditLogDocument, { filter: { operations: [operation] }, first: 50 }, w.token)).auditLog;
}

let a: World;
let b: World;

beforeAll(async () => {
  t = await startTestServer();
  a = await world('Alpha');
  b = await world('Bravo');
}, 60_000);
afterAll(() => t.stop());

describe('updateShop', () => {
  it('changes name, status and time zone; externalId, region and currency stay; audited', async () => {
    const before = (await t.ok(ManagementTestUpdateShopDocument, { id: a.shopId, input: {} }, a.token)).updateShop;
    const { updateShop } = await t.ok(
      ManagementTestUpdateShopDocument,
      { id: a.shopId, input: { name: '  Alpha Shop EU  ', status: 'SUSPENDED', timeZone: ' Europe/Berlin ' } },
      a.token,
    );
    expect(updateShop).toEqual({ ...before, name: 'Alpha Shop EU', status: 'SUSPENDED', timeZone: 'Europe/Berlin' });
    expect((await t.ok(LookupsTestShopDocument, { id: a.shopId }, a.token)).shop).toMatchObject({ name: 'Alpha Shop EU', timeZone: 'Europe/Berlin' });

    // Only the fields given change.
    const { updateShop: again } = await t.ok(ManagementTestUpdateShopDocument, { id: a.shopId, input: { status: 'ACTIVE' } }, a.token);
    expect(again).toEqual({ ...updateShop, status: 'ACTIVE' });

    const audit = await auditOf(a, 'updateShop');
    expect(audit.edges[0].node.targetIds).toEqual([a.shopId]);
  });

  it('validates like createShop: an IANA time zone, a non-blank name; changes nothing on error', async () => {
    const before = (await t.ok(LookupsTestShopDocument, { id: a.shopId }, a.token)).shop;
    for (const timeZone of ['Mars/Olympus_Mons', 'EST5EDT7', '']) {
      expectError(await t.gql(ManagementTestUpdateShopDocument, { id: a.shopId, input: { name: 'Renamed', timeZone } }, a.token), 'BAD_USER_INPUT', [
        'input.timeZone',
      ]);
    }
    expectError(await t.gql(ManagementTestUpdateShopDocument, { id: a.shopId, input: { name: '   ' } }, a.token), 'BAD_USER_INPUT', ['input.name']);
    expectError(await t.gql(ManagementTestUpdateShopDocument, { id: a.shopId, input: { name: 'x'.repeat(201), timeZone: 'x'.repeat(65) } }, a.token), 'BAD_USER_INPUT', [
      'input.name',
      'input.timeZone',
    ]);
    expect((await t.ok(LookupsTestShopDocument, { id: a.shopId }, a.token)).shop).toEqual(before);
  });

  it('refuses an id of another type as BAD_USER_INPUT on id', async () => {
    expectError(await t.gql(ManagementTestUpdateShopDocument, { id: a.clientId, input: { name: 'x' } }, a.token), 'BAD_USER_INPUT', ['id']);
  });

  it("answers NOT_FOUND for another agency's shop exactly as for a missing one, and leaves it alone", async () => {
    const before = (await t.ok(LookupsTestShopDocument, { id: b.shopId }, b.token)).shop;
    const theirs = await t.gql(ManagementTestUpdateShopDocument, { id: b.shopId, input: { name: 'Taken over' } }, a.token);
    const missing = await t.gql(ManagementTestUpdateShopDocument, { id: missingId('Shop'), input: { name: 'Taken over' } }, a.token);
    expectError(theirs, 'NOT_FOUND', ['id']);
    expect(theirs.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect((await t.ok(LookupsTestShopDocument, { id: b.shopId }, b.token)).shop).toEqual(before);
  });

  it('needs WRITE: account managers and WRITE keys may; analysts, client viewers and READ keys are FORBIDDEN', async () => {
    const allowed = [(await member(a, 'ACCOUNT_MANAGER')).token, await apiKey(a, 'WRITE')];
    const refused = [(await member(a, 'ANALYST')).token, (await member(a, 'CLIENT_VIEWER', a.clientId)).token, await apiKey(a, 'READ')];
    for (const token of allowed) expect((await t.gql(ManagementTestUpdateShopDocument, { id: a.shopId, input: { name: 'Alpha Shop' } }, token)).errors).toBeUndefined();
    for (const token of refused) expectError(await t.gql(ManagementTestUpdateShopDocument, { id: a.shopId, input: { name: 'Nope' } }, token), 'FORBIDDEN');
  });
});

describe('updateEnrollment', () => {
  async function enroll(w: World, creator: number, terms: { commissionRateBps?: number | null; contentDueDate?: string | null } = {}) {
    return (await t.ok(EnrollCreatorsDocument, { campaignId: w.campaignId, creators: [{ creatorId: w.creatorIds[creator], ...terms }] }, w.token)).enrollCreators[0];
  }

  it('changes the commission override and the due date; only the fields given; null clears', async () => {
    const e = await enroll(a, 0, { commissionRateBps: 1200, contentDueDate: '2026-02-01' });
    const update = (input: Record<string, unknown>) => t.ok(ManagementTestUpdateEnrollmentDocument, { id: e.id, input }, a.token);

    expect((await update({ commissionRateBps: 2500 })).updateEnrollment).toMatchObject({ id: e.id, status: 'INVITED', commissionRateBps: 2500, contentDueDate: '2026-02-01' });
    expect((await update({ contentDueDate: '2026-03-15' })).updateEnrollment).toMatchObject({ commissionRateBps: 2500, contentDueDate: '2026-03-15' });
    expect((await update({ commissionRateBps: 0, contentDueDate: null })).updateEnrollment).toMatchObject({ commissionRateBps: 0, contentDueDate: null });
    expect((await update({ commissionRateBps: null })).updateEnrollment).toMatchObject({ commissionRateBps: null, contentDueDate: null });
    expect((await update({ commissionRateBps: 10000 })).updateEnrollment.commissionRateBps).toBe(10000);

    const audit = await auditOf(a, 'updateEnrollment');
    expect(audit.totalCount).toBe(5);
    expect(audit.edges[0].node.targetIds).toEqual([e.id]);
  });

  it('makes re-enrolling on the new terms a no-op, and on the old terms a CONFLICT', async () => {
    const e = await enroll(a, 1, { commissionRateBps: 1200 });
    await t.ok(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: { commissionRateBps: 1800 } }, a.token);
    expect((await enroll(a, 1, { commissionRateBps: 1800 })).id).toBe(e.id);
    const res = await t.gql(EnrollCreatorsDocument, { campaignId: a.campaignId, creators: [{ creatorId: a.creatorIds[1], commissionRateBps: 1200 }] }, a.token);
    expectError(res, 'CONFLICT', ['creators.0.commissionRateBps']);
    expect(res.errors?.[0].message).toMatch(/updateEnrollment/);
  });

  it('validates like enrollCreators: commission 0..10000 on its path, a real date', async () => {
    const e = await enroll(a, 2, { commissionRateBps: 700 });
    for (const commissionRateBps of [-1, 10001]) {
      expectError(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: { commissionRateBps } }, a.token), 'BAD_USER_INPUT', ['input.commissionRateBps']);
    }
    expect(codes(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: { contentDueDate: '2026-02-30' } }, a.token))).toEqual(['BAD_USER_INPUT']);
    expectError(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: a.campaignId, input: { commissionRateBps: 1 } }, a.token), 'BAD_USER_INPUT', ['id']);
    expect((await t.ok(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: {} }, a.token)).updateEnrollment.commissionRateBps).toBe(700);
  });

  it("answers NOT_FOUND for another agency's enrollment exactly as for a missing one", async () => {
    const theirs = (await t.ok(EnrollCreatorsDocument, { campaignId: b.campaignId, creators: [{ creatorId: b.creatorIds[0], commissionRateBps: 900 }] }, b.token))
      .enrollCreators[0];
    const res = await t.gql(ManagementTestUpdateEnrollmentDocument, { id: theirs.id, input: { commissionRateBps: 1 } }, a.token);
    const missing = await t.gql(ManagementTestUpdateEnrollmentDocument, { id: missingId('CampaignEnrollment'), input: { commissionRateBps: 1 } }, a.token);
    expectError(res, 'NOT_FOUND', ['id']);
    expect(res.errors?.[0].message).toBe(missing.errors?.[0].message);
    const again = (await t.ok(EnrollCreatorsDocument, { campaignId: b.campaignId, creators: [{ creatorId: b.creatorIds[0] }] }, b.token)).enrollCreators[0];
    expect(again.commissionRateBps).toBe(900);
  });

  it('refuses DECLINED or REMOVED enrollments and final campaigns with CONFLICT', async () => {
    const w = await world('Final');
    const [declined, open] = (
      await t.ok(EnrollCreatorsDocument, { campaignId: w.campaignId, creators: [{ creatorId: w.creatorIds[0] }, { creatorId: w.creatorIds[1] }] }, w.token)
    ).enrollCreators;
    await t.ok(EnrollmentsTestSetStatusDocument, { id: declined.id, status: 'DECLINED' }, w.token);
    expectError(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: declined.id, input: { commissionRateBps: 1 } }, w.token), 'CONFLICT');

    await t.ok(SetCampaignStatusDocument, { id: w.campaignId, status: 'CANCELLED' }, w.token);
    expectError(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: open.id, input: { commissionRateBps: 1 } }, w.token), 'CONFLICT');
  });

  it('needs WRITE: analysts and READ keys are FORBIDDEN, WRITE keys may', async () => {
    const e = await enroll(a, 0);
    expectError(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: { commissionRateBps: 5 } }, (await member(a, 'ANALYST')).token), 'FORBIDDEN');
    expectError(await t.gql(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: { commissionRateBps: 5 } }, await apiKey(a, 'READ')), 'FORBIDDEN');
    expect((await t.ok(ManagementTestUpdateEnrollmentDocument, { id: e.id, input: { commissionRateBps: 5 } }, await apiKey(a, 'WRITE'))).updateEnrollment.commissionRateBps).toBe(5);
  });
});

describe('changePassword', () => {
  const NEW = 'a-much-better-passphrase';

  it('changes the signed-in member’s password: the old one stops working, the new one signs in; audited without secrets', async () => {
    const m = await member(a, 'ACCOUNT_MANAGER');
    const { changePassword } = await t.ok(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: NEW }, m.token);
    expect(changePassword.member).toEqual({ id: m.id, email: m.email });

    expect(codes(await t.gql(LoginDocument, { email: m.email, password: PASSWORD }))).toEqual(['UNAUTHENTICATED']);
    expect((await t.ok(LoginDocument, { email: m.email, password: NEW })).login.member.id).toBe(m.id);
    // Tokens are not tied to the password: the one in hand keeps working until it expires.
    expect((await t.ok(ViewerDocument, {}, m.token)).viewer?.id).toBe(m.id);

    const audit = await auditOf(a, 'changePassword');
    expect(audit.edges.map((e) => ({ targetIds: e.node.targetIds, member: e.node.member?.id }))).toEqual([{ targetIds: [m.id], member: m.id }]);
    const rows = await t.server.db.query(`SELECT * FROM audit_log WHERE operation = 'changePassword'`);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(NEW);
    expect(stored).not.toContain('scrypt');
  });

  it('refuses a wrong current password as BAD_USER_INPUT on currentPassword and changes nothing', async () => {
    const m = await member(a, 'ANALYST');
    const res = await t.gql(ManagementTestChangePasswordDocument, { currentPassword: 'not-my-password', newPassword: NEW }, m.token);
    expectError(res, 'BAD_USER_INPUT', ['currentPassword']);
    expect((await t.ok(LoginDocument, { email: m.email, password: PASSWORD })).login.member.id).toBe(m.id);
    expect((await auditOf(a, 'changePassword')).edges.map((e) => e.node.member?.id)).not.toContain(m.id);
  });

  it('applies the password rules of createMember to newPassword, and refuses the current one again', async () => {
    const m = await member(a, 'ANALYST');
    expectError(await t.gql(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: 'short' }, m.token), 'BAD_USER_INPUT', ['newPassword']);
    expectError(await t.gql(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: 'x'.repeat(201) }, m.token), 'BAD_USER_INPUT', ['newPassword']);
    expectError(await t.gql(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: PASSWORD }, m.token), 'BAD_USER_INPUT', ['newPassword']);
    // The same 10-character minimum createMember enforces.
    expectError(
      await t.gql(AccessTestCreateMemberDocument, { input: { email: `short-${++counter}@example.com`, name: 'S', role: 'ANALYST', password: 'short' } }, a.token),
      'BAD_USER_INPUT',
      ['input.password'],
    );
    expect((await t.ok(LoginDocument, { email: m.email, password: PASSWORD })).login.member.id).toBe(m.id);
  });

  it('is for every member, client viewers too; API keys of every scope get FORBIDDEN; no token: UNAUTHENTICATED', async () => {
    const viewer = await member(a, 'CLIENT_VIEWER', a.clientId);
    expect((await t.ok(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: NEW }, viewer.token)).changePassword.member.id).toBe(viewer.id);
    for (const scope of ['READ', 'WRITE', 'INGEST', 'ALERTS'] as const) {
      expectError(await t.gql(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: NEW }, await apiKey(a, scope)), 'FORBIDDEN');
    }
    expectError(await t.gql(ManagementTestChangePasswordDocument, { currentPassword: PASSWORD, newPassword: NEW }), 'UNAUTHENTICATED');
  });
});
