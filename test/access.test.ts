import { randomUUID } from 'node:crypto';
import {
  AccessTestApiKeyNodeDocument,
  AccessTestApiKeysDocument,
  AccessTestAuditEntryNodeDocument,
  AccessTestAuditLogDocument,
  AccessTestAuditLogQuery,
  AccessTestCreateApiKeyDocument,
  AccessTestCreateMemberDocument,
  AccessTestCreatorEnrollmentsDocument,
  AccessTestDeactivateMemberDocument,
  AccessTestMembersDocument,
  AccessTestRevokeApiKeyDocument,
  AccessTestSetMemberRoleDocument,
  AccessTestUpdateAgencyDocument,
  AccessTestViewerDocument,
  AccessTestViewerTreeDocument,
  ApiScope,
  AuditLogFilter,
  CampaignsDocument,
  ClientsDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  CreatorsDocument,
  EnrollCreatorsDocument,
  LoginDocument,
  NodeDocument,
  NodesDocument,
  Role,
  SetCampaignStatusDocument,
  ShopsDocument,
  UpdateClientDocument,
  UpsertProductsDocument,
  ViewerDocument,
} from './generated/graphql';
import { codes, Credentials, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

// ------------------------------------------------------------------ helpers

let counter = 0;
const unique = () => `${++counter}-${randomUUID().slice(0, 8)}`;
/** A creator handle: letters, digits, '_' and '.', at most 24 characters. */
const uniqueHandle = () => `c_${++counter}_${randomUUID().slice(0, 8)}`;

/** The password t.createAgency gives every admin. */
const ADMIN_PASSWORD = 'correct-horse-battery';

/** An agency whose admin's global member id is known. */
interface Agency extends TestAgency {
  adminId: string;
  /** The agency's global id. */
  id: string;
}

async function agency(name = `Access Agency ${unique()}`): Promise<Agency> {
  const created = await t.createAgency(name);
  const { viewer, agency: own } = await t.ok(ViewerDocument, {}, created.token);
  return { ...created, adminId: viewer!.id, id: own.id };
}

interface SignedInMember {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** A member of `role` created by the admin, signed in. */
async function addMember(admin: Agency, role: Role, clientId?: string): Promise<SignedInMember> {
  const email = `${role.toLowerCase()}-${unique()}@example.com`;
  const password = `pw-${randomUUID()}`;
  const { createMember } = await t.ok(
    AccessTestCreateMemberDocument,
    { input: { email, name: `${role} member`, role, clientId, password } },
    admin.token,
  );
  const { login } = await t.ok(LoginDocument, { email, password });
  return { id: createMember.id, email, password, token: login.token };
}

async function createKey(admin: Agency, scopes: ApiScope[], name = `Key ${unique()}`) {
  const { createApiKey } = await t.ok(AccessTestCreateApiKeyDocument, { name, scopes }, admin.token);
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret, prefix: createApiKey.apiKey.prefix };
}

async function createClient(token: string, name = `Client ${unique()}`): Promise<string> {
  return (await t.ok(CreateClientDocument, { input: { name } }, token)).createClient.id;
}

async function createShop(token: string, clientId: string): Promise<string> {
  const { createShop } = await t.ok(
    CreateShopDocument,
    { input: { clientId, name: `Shop ${unique()}`, externalId: `ext-${unique()}`, region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
    token,
  );
  return createShop.id;
}

async function createProducts(token: string, shopId: string, count = 2): Promise<string[]> {
  const { upsertProducts } = await t.ok(
    UpsertProductsDocument,
    {
      shopId,
      products: Array.from({ length: count }, (_, i) => ({ sku: `SKU-${unique()}`, title: `Product ${i}`, price: { amountMinor: 1000 + i, currency: 'USD' } })),
    },
    token,
  );
  return upsertProducts.map((p) => p.id);
}

async function createCampaign(token: string, shopId: string, productIds: string[] = []): Promise<string> {
  const { createCampaign } = await t.ok(
    CreateCampaignDocument,
    { input: { shopId, name: `Campaign ${unique()}`, objective: 'SALES', startDate: '2025-03-01', commissionRateBps: 1500, productIds } },
    token,
  );
  return createCampaign.id;
}

async function createCreator(token: string, email: string): Promise<string> {
  const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle: uniqueHandle(), followerCount: 1000, email } }, token);
  return createCreator.id;
}

/** Enrolls creators; returns enrollment ids by creator id. */
async function enroll(token: string, campaignId: string, creatorIds: string[]): Promise<Map<string, string>> {
  const { enrollCreators } = await t.ok(EnrollCreatorsDocument, { campaignId, creators: creatorIds.map((creatorId) => ({ creatorId })) }, token);
  return new Map(enrollCreators.map((e) => [e.creator.id, e.id]));
}

function fieldKeys(res: GqlResult<unknown>): string[] {
  return Object.keys(res.errors?.[0]?.extensions?.fields ?? {}).sort();
}

async function clientIds(token: Credentials): Promise<string[]> {
  const res = await t.gql(ClientsDocument, { first: 100 }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.clients.edges.map((e) => e.node.id);
}

type AuditNode = AccessTestAuditLogQuery['auditLog']['edges'][number]['node'];

/** Every audit entry the admin sees (newest first), through every page. */
async function auditEntries(token: string, filter?: AuditLogFilter): Promise<AuditNode[]> {
  const all: AuditNode[] = [];
  let after: string | null | undefined;
  for (;;) {
    const { auditLog } = await t.ok(AccessTestAuditLogDocument, { filter, first: 100, after }, token);
    all.push(...auditLog.edges.map((e) => e.node));
    if (!auditLog.pageInfo.hasNextPage) return all;
    after = auditLog.pageInfo.endCursor;
  }
}

async function auditCount(token: string): Promise<number> {
  return (await t.ok(AccessTestAuditLogDocument, { first: 1 }, token)).auditLog.totalCount;
}

/**
 * Runs a mutation and checks it added exactly one audit entry, the newest: operation, caller and
 * a target id it returns. Returns the entry.
 */
async function expectOneEntry(
  admin: Agency,
  run: () => Promise<string>,
  expected: { operation: string; memberId?: string | null; apiKeyId?: string | null },
): Promise<AuditNode> {
  const before = await auditCount(admin.token);
  const startedAt = Date.now();
  const targetId = await run();
  const finishedAt = Date.now();
  const { auditLog } = await t.ok(AccessTestAuditLogDocument, { first: 1 }, admin.token);
  expect(auditLog.totalCount).toBe(before + 1);
  const entry = auditLog.edges[0].node;
  expect(entry.operation).toBe(expected.operation);
  expect(entry.member?.id ?? null).toBe(expected.memberId ?? null);
  expect(entry.apiKey?.id ?? null).toBe(expected.apiKeyId ?? null);
  expect(entry.targetIds).toContain(targetId);
  const createdAt = new Date(entry.createdAt).getTime();
  expect(createdAt).toBeGreaterThanOrEqual(startedAt - 2000);
  expect(createdAt).toBeLessThanOrEqual(finishedAt + 2000);
  return entry;
}

// ------------------------------------------------------------------ API keys

describe('API keys', () => {
  let acme: Agency;

  beforeAll(async () => {
    acme = await agency();
  });

  it('createApiKey returns the secret once; later responses show only the prefix', async () => {
    const { createApiKey } = await t.ok(AccessTestCreateApiKeyDocument, { name: '  Ingest bot  ', scopes: ['READ', 'WRITE'] }, acme.token);
    const { secret, apiKey } = createApiKey;
    expect(secret).toMatch(/^agk_/);
    expect(apiKey.prefix).toMatch(/^agk_/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(secret.length).toBeGreaterThan(apiKey.prefix.length + 20);
    expect(apiKey.name).toBe('Ingest bot');
    expect([...apiKey.scopes].sort()).toEqual(['READ', 'WRITE']);
    expect(apiKey.lastUsedAt).toBeNull();
    expect(apiKey.revokedAt).toBeNull();

    const tail = secret.slice(apiKey.prefix.length + 1);
    const list = await t.ok(AccessTestApiKeysDocument, {}, acme.token);
    const listed = list.apiKeys.find((k) => k.id === apiKey.id);
    expect(listed).toEqual({ ...apiKey, name: 'Ingest bot' });
    const node = await t.ok(AccessTestApiKeyNodeDocument, { id: apiKey.id }, acme.token);
    expect(node.node).toMatchObject({ __typename: 'ApiKey', id: apiKey.id, prefix: apiKey.prefix });
    for (const later of [list, node]) {
      expect(JSON.stringify(later)).not.toContain(secret);
      expect(JSON.stringify(later)).not.toContain(tail);
    }
  });

  it('lists keys newest first, revoked ones included, and never another agency’s', async () => {
    const own = await agency();
    const other = await agency();
    const first = await createKey(own, ['READ']);
    const second = await createKey(own, ['INGEST']);
    await t.ok(AccessTestRevokeApiKeyDocument, { id: first.id }, own.token);
    const theirs = await createKey(other, ['READ']);

    const { apiKeys } = await t.ok(AccessTestApiKeysDocument, {}, own.token);
    expect(apiKeys.map((k) => k.id)).toEqual([second.id, first.id]);
    expect(apiKeys.map((k) => k.id)).not.toContain(theirs.id);
  });

  it('works as a bearer token and records when it was last used', async () => {
    const { id, secret } = await createKey(acme, ['READ']);
    const mine = await createClient(acme.token);
    const before = Date.now();

    expect(await clientIds(secret)).toContain(mine);

    const { apiKeys } = await t.ok(AccessTestApiKeysDocument, {}, acme.token);
    const lastUsedAt = apiKeys.find((k) => k.id === id)!.lastUsedAt;
    expect(lastUsedAt).not.toBeNull();
    expect(new Date(lastUsedAt!).getTime()).toBeGreaterThanOrEqual(before - 2000);
    expect(new Date(lastUsedAt!).getTime()).toBeLessThanOrEqual(Date.now() + 2000);
  });

  it('has no viewer: viewer is null for an API key', async () => {
    const { secret } = await createKey(acme, ['READ']);
    const res = await t.gql(AccessTestViewerDocument, {}, secret);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: null });
  });

  it('a READ key reads but cannot write', async () => {
    const { secret } = await createKey(acme, ['READ']);
    const before = await clientIds(acme.token);

    expect(await clientIds(secret)).toEqual(before);
    const write = await t.gql(CreateClientDocument, { input: { name: 'Not by a reader' } }, secret);
    expect(codes(write)).toEqual(['FORBIDDEN']);
    expect(write.data).toBeNull();
    expect(await clientIds(acme.token)).toEqual(before);
  });

  it('a WRITE key can create a client', async () => {
    const { secret } = await createKey(acme, ['WRITE']);
    const res = await t.gql(CreateClientDocument, { input: { name: 'Written by a key' } }, secret);
    expect(res.errors).toBeUndefined();
    expect(res.data!.createClient.name).toBe('Written by a key');
    expect(await clientIds(acme.token)).toContain(res.data!.createClient.id);
  });

  it.each<ApiScope>(['INGEST', 'ALERTS'])('an %s-only key is FORBIDDEN to read clients', async (scope) => {
    const { secret } = await createKey(acme, [scope]);
    const res = await t.gql(ClientsDocument, {}, secret);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data ?? null).toBeNull();
  });

  it('a revoked key is refused on its next request, and revokedAt is set', async () => {
    const { id, secret } = await createKey(acme, ['READ']);
    expect(codes(await t.gql(ClientsDocument, {}, secret))).toEqual([]);

    const { revokeApiKey } = await t.ok(AccessTestRevokeApiKeyDocument, { id }, acme.token);
    expect(revokeApiKey.revokedAt).not.toBeNull();

    const res = await t.gql(ClientsDocument, {}, secret);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors?.[0].message).toMatch(/revoked/i);
    const { apiKeys } = await t.ok(AccessTestApiKeysDocument, {}, acme.token);
    expect(apiKeys.find((k) => k.id === id)!.revokedAt).toBe(revokeApiKey.revokedAt);
  });

  it('refuses a tampered secret with the right prefix', async () => {
    const { secret, prefix } = await createKey(acme, ['READ']);
    const tail = secret.slice(prefix.length + 1);
    const tampered = `${prefix}_${tail.slice(0, -4)}${tail.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(tampered).not.toBe(secret);

    const res = await t.gql(ClientsDocument, {}, tampered);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
    expect(codes(await t.gql(ClientsDocument, {}, `agk_000000000000_${tail}`))).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects empty scopes and a blank name, creating nothing', async () => {
    const before = (await t.ok(AccessTestApiKeysDocument, {}, acme.token)).apiKeys.length;

    const noScopes = await t.gql(AccessTestCreateApiKeyDocument, { name: 'No scopes', scopes: [] }, acme.token);
    expect(codes(noScopes)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(noScopes)).toEqual(['scopes']);

    const blank = await t.gql(AccessTestCreateApiKeyDocument, { name: '   ', scopes: ['READ'] }, acme.token);
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(blank)).toEqual(['name']);

    expect((await t.ok(AccessTestApiKeysDocument, {}, acme.token)).apiKeys.length).toBe(before);
  });

  it("cannot revoke another agency's key: NOT_FOUND, and the key keeps working", async () => {
    const other = await agency();
    const theirs = await createKey(other, ['READ']);

    const res = await t.gql(AccessTestRevokeApiKeyDocument, { id: theirs.id }, acme.token);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql(ClientsDocument, {}, theirs.secret))).toEqual([]);
    const { apiKeys } = await t.ok(AccessTestApiKeysDocument, {}, other.token);
    expect(apiKeys.find((k) => k.id === theirs.id)!.revokedAt).toBeNull();
    expect((await t.ok(AccessTestApiKeyNodeDocument, { id: theirs.id }, acme.token)).node).toBeNull();
  });

  it.each<Role>(['ACCOUNT_MANAGER', 'ANALYST'])('is admin-only: %s gets FORBIDDEN', async (role) => {
    const member = await addMember(acme, role);
    const { id } = await createKey(acme, ['READ']);
    const before = (await t.ok(AccessTestApiKeysDocument, {}, acme.token)).apiKeys.length;

    expect(codes(await t.gql(AccessTestCreateApiKeyDocument, { name: 'Mine', scopes: ['READ'] }, member.token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(AccessTestApiKeysDocument, {}, member.token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(AccessTestRevokeApiKeyDocument, { id }, member.token))).toEqual(['FORBIDDEN']);

    const { apiKeys } = await t.ok(AccessTestApiKeysDocument, {}, acme.token);
    expect(apiKeys.length).toBe(before);
    expect(apiKeys.find((k) => k.id === id)!.revokedAt).toBeNull();
  });

  it('node(id) shows an API key to admins only, like apiKeys', async () => {
    const { id } = await createKey(acme, ['READ']);
    expect((await t.ok(AccessTestApiKeyNodeDocument, { id }, acme.token)).node).toMatchObject({ __typename: 'ApiKey', id });
    const readers: Array<[string, string]> = [
      ['ACCOUNT_MANAGER', (await addMember(acme, 'ACCOUNT_MANAGER')).token],
      ['ANALYST', (await addMember(acme, 'ANALYST')).token],
      ['READ key', (await createKey(acme, ['READ'])).secret],
    ];
    for (const [who, token] of readers) {
      const res = await t.gql(AccessTestApiKeyNodeDocument, { id }, token);
      expect([who, res.data?.node ?? null]).toEqual([who, null]);
    }
  });

  it('an API key cannot manage keys, whatever its scopes', async () => {
    const { secret } = await createKey(acme, ['READ', 'WRITE', 'INGEST', 'ALERTS']);
    expect(codes(await t.gql(AccessTestCreateApiKeyDocument, { name: 'Child', scopes: ['READ'] }, secret))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(AccessTestApiKeysDocument, {}, secret))).toEqual(['FORBIDDEN']);
  });
});

// ------------------------------------------------------------------ members

describe('members and roles', () => {
  let acme: Agency;
  let clientId: string;

  beforeAll(async () => {
    acme = await agency();
    clientId = await createClient(acme.token);
  });

  it.each<Role>(['AGENCY_ADMIN', 'SENIOR_ACCOUNT_MANAGER', 'ACCOUNT_MANAGER', 'ANALYST', 'CLIENT_VIEWER'])(
    'createMember adds a %s who can sign in',
    async (role) => {
      const email = `New.${role}-${unique()}@Example.com`;
      const password = `pw-${randomUUID()}`;
      const { createMember } = await t.ok(
        AccessTestCreateMemberDocument,
        { input: { email, name: ` ${role} person `, role, password, clientId: role === 'CLIENT_VIEWER' ? clientId : undefined } },
        acme.token,
      );
      expect(createMember).toMatchObject({
        email: email.toLowerCase(),
        name: `${role} person`,
        role,
        deactivatedAt: null,
        agency: { id: acme.id },
        client: role === 'CLIENT_VIEWER' ? { id: clientId } : null,
      });

      const { login } = await t.ok(LoginDocument, { email, password });
      expect(login.member).toMatchObject({ id: createMember.id, role });
      const { viewer } = await t.ok(AccessTestViewerDocument, {}, login.token);
      expect(viewer).toEqual({ id: createMember.id, email: email.toLowerCase(), role });
      const { agency: listed } = await t.ok(AccessTestMembersDocument, {}, acme.token);
      expect(listed.members.edges.map((e) => e.node.id)).toContain(createMember.id);
    },
  );

  describe('createMember refuses bad input and creates nothing', () => {
    async function memberCount(): Promise<number> {
      return (await t.ok(AccessTestMembersDocument, {}, acme.token)).agency.members.totalCount;
    }
    const input = (overrides: Record<string, unknown> = {}) => ({
      email: `refused-${unique()}@example.com`,
      name: 'Refused',
      role: 'ANALYST' as Role,
      password: 'long-enough-password',
      ...overrides,
    });

    it('a CLIENT_VIEWER without clientId', async () => {
      const before = await memberCount();
      const res = await t.gql(AccessTestCreateMemberDocument, { input: input({ role: 'CLIENT_VIEWER' }) }, acme.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldKeys(res)).toEqual(['input.clientId']);
      expect(await memberCount()).toBe(before);
    });

    it('a clientId for a role other than CLIENT_VIEWER', async () => {
      const before = await memberCount();
      const res = await t.gql(AccessTestCreateMemberDocument, { input: input({ role: 'ANALYST', clientId }) }, acme.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldKeys(res)).toEqual(['input.clientId']);
      expect(await memberCount()).toBe(before);
    });

    it('an e-mail already in use (any case) is a CONFLICT', async () => {
      const existing = await addMember(acme, 'ANALYST');
      const before = await memberCount();
      const res = await t.gql(AccessTestCreateMemberDocument, { input: input({ email: existing.email.toUpperCase() }) }, acme.token);
      expect(codes(res)).toEqual(['CONFLICT']);
      expect(await memberCount()).toBe(before);
      // The existing member's password still works: nothing was overwritten.
      expect(codes(await t.gql(LoginDocument, { email: existing.email, password: existing.password }))).toEqual([]);
    });

    it('a password shorter than 10 characters', async () => {
      const before = await memberCount();
      const res = await t.gql(AccessTestCreateMemberDocument, { input: input({ password: 'short-pw' }) }, acme.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldKeys(res)).toEqual(['input.password']);
      expect(await memberCount()).toBe(before);
    });

    it("another agency's clientId is NOT_FOUND", async () => {
      const other = await agency();
      const theirClient = await createClient(other.token);
      const before = await memberCount();
      const email = `cross-${unique()}@example.com`;
      const res = await t.gql(AccessTestCreateMemberDocument, { input: input({ email, role: 'CLIENT_VIEWER', clientId: theirClient }) }, acme.token);
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(fieldKeys(res)).toEqual(['input.clientId']);
      expect(await memberCount()).toBe(before);
      expect(codes(await t.gql(LoginDocument, { email, password: 'long-enough-password' }))).toEqual(['UNAUTHENTICATED']);
    });

    it('is admin-only', async () => {
      const manager = await addMember(acme, 'SENIOR_ACCOUNT_MANAGER');
      const before = await memberCount();
      const res = await t.gql(AccessTestCreateMemberDocument, { input: input() }, manager.token);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(await memberCount()).toBe(before);
    });
  });

  it("setMemberRole takes effect on the member's next request with the same token", async () => {
    const member = await addMember(acme, 'ANALYST');
    const write = () => t.gql(CreateClientDocument, { input: { name: `By member ${unique()}` } }, member.token);
    expect(codes(await write())).toEqual(['FORBIDDEN']);

    const promoted = await t.ok(AccessTestSetMemberRoleDocument, { id: member.id, role: 'ACCOUNT_MANAGER' }, acme.token);
    expect(promoted.setMemberRole.role).toBe('ACCOUNT_MANAGER');
    expect(codes(await write())).toEqual([]);

    await t.ok(AccessTestSetMemberRoleDocument, { id: member.id, role: 'ANALYST' }, acme.token);
    expect(codes(await write())).toEqual(['FORBIDDEN']);
    expect((await t.ok(AccessTestViewerDocument, {}, member.token)).viewer?.role).toBe('ANALYST');
  });

  it('setMemberRole to CLIENT_VIEWER needs a clientId and binds the member to it', async () => {
    const member = await addMember(acme, 'ANALYST');
    const missing = await t.gql(AccessTestSetMemberRoleDocument, { id: member.id, role: 'CLIENT_VIEWER' }, acme.token);
    expect(codes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(fieldKeys(missing)).toEqual(['clientId']);
    expect((await t.ok(AccessTestViewerDocument, {}, member.token)).viewer?.role).toBe('ANALYST');

    const otherClient = await createClient(acme.token);
    const { setMemberRole } = await t.ok(AccessTestSetMemberRoleDocument, { id: member.id, role: 'CLIENT_VIEWER', clientId }, acme.token);
    expect(setMemberRole).toMatchObject({ role: 'CLIENT_VIEWER', client: { id: clientId } });
    expect(await clientIds(member.token)).toEqual([clientId]);
    expect(await clientIds(acme.token)).toContain(otherClient);
  });

  it("setMemberRole and deactivateMember answer NOT_FOUND for another agency's member", async () => {
    const other = await agency();
    const theirs = await addMember(other, 'ANALYST');
    expect(codes(await t.gql(AccessTestSetMemberRoleDocument, { id: theirs.id, role: 'AGENCY_ADMIN' }, acme.token))).toEqual(['NOT_FOUND']);
    expect(codes(await t.gql(AccessTestDeactivateMemberDocument, { id: theirs.id }, acme.token))).toEqual(['NOT_FOUND']);
    expect((await t.ok(AccessTestViewerDocument, {}, theirs.token)).viewer?.role).toBe('ANALYST');
  });

  it("deactivateMember refuses the member's existing token at once, and their login", async () => {
    const member = await addMember(acme, 'ACCOUNT_MANAGER');
    expect(codes(await t.gql(ClientsDocument, {}, member.token))).toEqual([]);

    const { deactivateMember } = await t.ok(AccessTestDeactivateMemberDocument, { id: member.id }, acme.token);
    expect(deactivateMember.deactivatedAt).not.toBeNull();

    const refused = await t.gql(ClientsDocument, {}, member.token);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors?.[0].message).toMatch(/deactivated/i);
    const write = await t.gql(CreateClientDocument, { input: { name: 'After deactivation' } }, member.token);
    expect(codes(write)).toEqual(['UNAUTHENTICATED']);
    const login = await t.gql(LoginDocument, { email: member.email, password: member.password });
    expect(codes(login)).toEqual(['UNAUTHENTICATED']);
    expect(login.data).toBeNull();

    const { agency: listed } = await t.ok(AccessTestMembersDocument, {}, acme.token);
    expect(listed.members.edges.find((e) => e.node.id === member.id)?.node.deactivatedAt).toBe(deactivateMember.deactivatedAt);
  });

  it('an admin cannot deactivate themselves or change their own role (CONFLICT)', async () => {
    const self = await t.gql(AccessTestDeactivateMemberDocument, { id: acme.adminId }, acme.token);
    expect(codes(self)).toEqual(['CONFLICT']);
    const demote = await t.gql(AccessTestSetMemberRoleDocument, { id: acme.adminId, role: 'ANALYST' }, acme.token);
    expect(codes(demote)).toEqual(['CONFLICT']);

    const { viewer } = await t.ok(AccessTestViewerDocument, {}, acme.token);
    expect(viewer?.role).toBe('AGENCY_ADMIN');
    expect(codes(await t.gql(AccessTestApiKeysDocument, {}, acme.token))).toEqual([]);
  });

  it('another admin may change an admin', async () => {
    const second = await addMember(acme, 'AGENCY_ADMIN');
    const target = await addMember(acme, 'AGENCY_ADMIN');
    const { setMemberRole } = await t.ok(AccessTestSetMemberRoleDocument, { id: target.id, role: 'ANALYST' }, second.token);
    expect(setMemberRole.role).toBe('ANALYST');
    expect(codes(await t.gql(AccessTestApiKeysDocument, {}, target.token))).toEqual(['FORBIDDEN']);
  });

  it('member management is admin-only', async () => {
    const manager = await addMember(acme, 'SENIOR_ACCOUNT_MANAGER');
    const analyst = await addMember(acme, 'ANALYST');
    expect(codes(await t.gql(AccessTestSetMemberRoleDocument, { id: analyst.id, role: 'ACCOUNT_MANAGER' }, manager.token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(AccessTestSetMemberRoleDocument, { id: manager.id, role: 'AGENCY_ADMIN' }, manager.token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(AccessTestDeactivateMemberDocument, { id: analyst.id }, manager.token))).toEqual(['FORBIDDEN']);
    expect((await t.ok(AccessTestViewerDocument, {}, analyst.token)).viewer?.role).toBe('ANALYST');
    expect((await t.ok(AccessTestViewerDocument, {}, manager.token)).viewer?.role).toBe('SENIOR_ACCOUNT_MANAGER');
  });
});

// ------------------------------------------------------------------ client viewers

describe('a CLIENT_VIEWER sees only their client', () => {
  let world: Agency;
  let viewer: SignedInMember;
  let analyst: SignedInMember;
  /** Objects of the viewer's client (1) and of the other client (2). */
  const mine = { client: '', shop: '', products: [] as string[], campaign: '', enrollment: '' };
  const theirs = { client: '', shop: '', products: [] as string[], campaign: '', enrollment: '' };
  /** Creators by where they are enrolled. */
  const creators = { onlyMine: '', onlyTheirs: '', both: '', none: '' };
  const creatorEmail = (key: string) => `${key.toLowerCase()}@creators.example.com`;
  let bothEnrollments: { mine: string; theirs: string };

  beforeAll(async () => {
    world = await agency('Viewer World');
    const token = world.token;
    for (const side of [mine, theirs]) {
      side.client = await createClient(token);
      side.shop = await createShop(token, side.client);
      side.products = await createProducts(token, side.shop, 2);
      side.campaign = await createCampaign(token, side.shop, side.products);
    }
    for (const key of Object.keys(creators) as Array<keyof typeof creators>) {
      creators[key] = await createCreator(token, creatorEmail(key));
    }
    const mineEnrolled = await enroll(token, mine.campaign, [creators.onlyMine, creators.both]);
    const theirsEnrolled = await enroll(token, theirs.campaign, [creators.onlyTheirs, creators.both]);
    mine.enrollment = mineEnrolled.get(creators.onlyMine)!;
    theirs.enrollment = theirsEnrolled.get(creators.onlyTheirs)!;
    bothEnrollments = { mine: mineEnrolled.get(creators.both)!, theirs: theirsEnrolled.get(creators.both)! };
    viewer = await addMember(world, 'CLIENT_VIEWER', mine.client);
    analyst = await addMember(world, 'ANALYST');
  });

  it('clients, shops and campaigns list only their client’s', async () => {
    expect(await clientIds(viewer.token)).toEqual([mine.client]);
    expect(await clientIds(analyst.token)).toEqual([mine.client, theirs.client]);

    const shops = await t.ok(ShopsDocument, { first: 100 }, viewer.token);
    expect(shops.shops.edges.map((e) => e.node.id)).toEqual([mine.shop]);
    expect(shops.shops.totalCount).toBe(1);
    expect((await t.ok(ShopsDocument, { clientId: theirs.client }, viewer.token)).shops.totalCount).toBe(0);

    const campaigns = await t.ok(CampaignsDocument, { first: 100 }, viewer.token);
    expect(campaigns.campaigns.edges.map((e) => e.node.id)).toEqual([mine.campaign]);
    expect(campaigns.campaigns.totalCount).toBe(1);
    expect((await t.ok(CampaignsDocument, { filter: { clientId: theirs.client } }, viewer.token)).campaigns.totalCount).toBe(0);
    expect((await t.ok(CampaignsDocument, { filter: { shopId: theirs.shop } }, viewer.token)).campaigns.totalCount).toBe(0);
  });

  it("node(id) is null for the other client's client, shop, product, campaign and enrollment", async () => {
    for (const id of [theirs.client, theirs.shop, ...theirs.products, theirs.campaign, theirs.enrollment, bothEnrollments.theirs]) {
      expect((await t.ok(NodeDocument, { id }, viewer.token)).node).toBeNull();
      expect((await t.ok(NodeDocument, { id }, analyst.token)).node).not.toBeNull();
    }
    const ownIds = [mine.client, mine.shop, ...mine.products, mine.campaign, mine.enrollment, bothEnrollments.mine];
    const { nodes } = await t.ok(NodesDocument, { ids: ownIds }, viewer.token);
    expect(nodes.map((n) => n?.id)).toEqual(ownIds);
  });

  it('creators lists only those enrolled in their client’s campaigns, without e-mail', async () => {
    const { creators: seen } = await t.ok(CreatorsDocument, { first: 100 }, viewer.token);
    expect(seen.totalCount).toBe(2);
    expect(seen.edges.map((e) => e.node.id).sort()).toEqual([creators.onlyMine, creators.both].sort());
    expect(seen.edges.map((e) => e.node.email)).toEqual([null, null]);

    for (const id of [creators.onlyTheirs, creators.none]) {
      expect((await t.ok(NodeDocument, { id }, viewer.token)).node).toBeNull();
    }
    const own = await t.gql(`query ($id: ID!) { node(id: $id) { ... on Creator { id email } } }`, { id: creators.onlyMine }, viewer.token);
    expect(own.data).toEqual({ node: { id: creators.onlyMine, email: null } });
  });

  it('an ANALYST sees every creator with their e-mail', async () => {
    const { creators: seen } = await t.ok(CreatorsDocument, { first: 100 }, analyst.token);
    expect(seen.totalCount).toBe(4);
    const emails = new Map(seen.edges.map((e) => [e.node.id, e.node.email]));
    for (const [key, id] of Object.entries(creators)) expect(emails.get(id)).toBe(creatorEmail(key));
  });

  it("a creator's enrollments show only those in their client's campaigns", async () => {
    const viewed = await t.ok(AccessTestCreatorEnrollmentsDocument, { id: creators.both }, viewer.token);
    const edges = viewed.node && 'campaigns' in viewed.node ? viewed.node.campaigns.edges : [];
    expect(edges.map((e) => [e.node.id, e.node.campaign.id])).toEqual([[bothEnrollments.mine, mine.campaign]]);

    const analysed = await t.ok(AccessTestCreatorEnrollmentsDocument, { id: creators.both }, analyst.token);
    expect(analysed.node && 'campaigns' in analysed.node ? analysed.node.campaigns.totalCount : 0).toBe(2);
  });

  it('Agency.members shows only the viewer themself', async () => {
    const { agency: seen } = await t.ok(AccessTestMembersDocument, {}, viewer.token);
    expect(seen.members.totalCount).toBe(1);
    expect(seen.members.edges.map((e) => e.node.id)).toEqual([viewer.id]);
    expect((await t.ok(NodeDocument, { id: world.adminId }, viewer.token)).node).toBeNull();
    expect((await t.ok(NodeDocument, { id: analyst.id }, viewer.token)).node).toBeNull();
    expect((await t.ok(AccessTestMembersDocument, {}, analyst.token)).agency.members.totalCount).toBe(3);
  });

  it("nested lists (Agency.clients, Client.shops, Shop.products, Shop.campaigns, Client.campaigns) hold only their client's", async () => {
    const { agency: seenAgency, clients } = await t.ok(AccessTestViewerTreeDocument, {}, viewer.token);
    expect(seenAgency.clients.edges.map((e) => e.node.id)).toEqual([mine.client]);
    expect(seenAgency.clients.totalCount).toBe(1);
    expect(clients.edges).toHaveLength(1);
    const client = clients.edges[0].node;
    expect(client.id).toBe(mine.client);
    expect(client.shops.edges.map((e) => e.node.id)).toEqual([mine.shop]);
    const shop = client.shops.edges[0].node;
    expect(shop.client.id).toBe(mine.client);
    expect(shop.products.edges.map((e) => e.node.id).sort()).toEqual([...mine.products].sort());
    expect(shop.campaigns.edges.map((e) => e.node.id)).toEqual([mine.campaign]);
    expect(client.campaigns.edges.map((e) => e.node.id)).toEqual([mine.campaign]);
  });

  it('every write is FORBIDDEN and changes nothing', async () => {
    const adminView = async () => ({
      clients: await t.ok(ClientsDocument, { first: 100 }, world.token),
      shops: await t.ok(ShopsDocument, { first: 100 }, world.token),
      campaigns: await t.ok(CampaignsDocument, { first: 100 }, world.token),
      creators: await t.ok(CreatorsDocument, { first: 100 }, world.token),
      members: await t.ok(AccessTestMembersDocument, {}, world.token),
      keys: await t.ok(AccessTestApiKeysDocument, {}, world.token),
    });
    const before = await adminView();
    const token = viewer.token;
    const attempts = [
      t.gql(CreateClientDocument, { input: { name: 'Viewer client' } }, token),
      t.gql(UpdateClientDocument, { id: mine.client, input: { name: 'Renamed by viewer' } }, token),
      t.gql(CreateShopDocument, { input: { clientId: mine.client, name: 'X', externalId: `ext-${unique()}`, region: 'US', currency: 'USD', timeZone: 'UTC' } }, token),
      t.gql(UpsertProductsDocument, { shopId: mine.shop, products: [{ sku: 'VIEWER', title: 'X', price: { amountMinor: 1, currency: 'USD' } }] }, token),
      t.gql(CreateCampaignDocument, { input: { shopId: mine.shop, name: 'X', objective: 'SALES', startDate: '2025-01-01', commissionRateBps: 100 } }, token),
      t.gql(SetCampaignStatusDocument, { id: mine.campaign, status: 'ACTIVE' }, token),
      t.gql(CreateCreatorDocument, { input: { handle: uniqueHandle(), followerCount: 1 } }, token),
      t.gql(EnrollCreatorsDocument, { campaignId: mine.campaign, creators: [{ creatorId: creators.none }] }, token),
      t.gql(AccessTestCreateMemberDocument, { input: { email: `v-${unique()}@example.com`, name: 'X', role: 'ANALYST', password: 'long-enough-password' } }, token),
      t.gql(AccessTestCreateApiKeyDocument, { name: 'Viewer key', scopes: ['READ'] }, token),
      t.gql(AccessTestUpdateAgencyDocument, { name: 'Viewer Agency' }, token),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data).toBeNull();
    }
    expect(await adminView()).toEqual(before);
  });
});

// ------------------------------------------------------------------ audit log

describe('audit log', () => {
  let acme: Agency;

  beforeAll(async () => {
    acme = await agency();
  });

  describe('each successful mutation adds exactly one entry naming the caller and the object', () => {
    it('createClient and updateClient', async () => {
      let clientId = '';
      await expectOneEntry(acme, async () => (clientId = await createClient(acme.token)), { operation: 'createClient', memberId: acme.adminId });
      await expectOneEntry(
        acme,
        async () => (await t.ok(UpdateClientDocument, { id: clientId, input: { status: 'ACTIVE' } }, acme.token)).updateClient.id,
        { operation: 'updateClient', memberId: acme.adminId },
      );
    });

    it('createShop, upsertProducts (one entry for the batch, every product a target)', async () => {
      const clientId = await createClient(acme.token);
      const shopId = await expectOneEntry(acme, () => createShop(acme.token, clientId), { operation: 'createShop', memberId: acme.adminId }).then(
        (e) => e.targetIds[0],
      );
      let productIds: string[] = [];
      const entry = await expectOneEntry(
        acme,
        async () => {
          productIds = await createProducts(acme.token, shopId, 3);
          return productIds[0];
        },
        { operation: 'upsertProducts', memberId: acme.adminId },
      );
      expect(entry.targetIds).toEqual(expect.arrayContaining(productIds));
    });

    it('createCampaign and setCampaignStatus', async () => {
      const shopId = await createShop(acme.token, await createClient(acme.token));
      let campaignId = '';
      await expectOneEntry(acme, async () => (campaignId = await createCampaign(acme.token, shopId)), {
        operation: 'createCampaign',
        memberId: acme.adminId,
      });
      await expectOneEntry(
        acme,
        async () => (await t.ok(SetCampaignStatusDocument, { id: campaignId, status: 'ACTIVE' }, acme.token)).setCampaignStatus.id,
        { operation: 'setCampaignStatus', memberId: acme.adminId },
      );
    });

    it('createApiKey, and a mutation made with an API key names the key', async () => {
      let key = { id: '', secret: '', prefix: '' };
      await expectOneEntry(acme, async () => (key = await createKey(acme, ['WRITE'])).id, { operation: 'createApiKey', memberId: acme.adminId });
      const entry = await expectOneEntry(acme, () => createClient(key.secret), { operation: 'createClient', memberId: null, apiKeyId: key.id });
      expect(entry.apiKey?.prefix).toBe(key.prefix);
    });

    it("login, as the member who signed in (in that member's agency)", async () => {
      const email = `login-${unique()}@example.com`;
      const password = `pw-${randomUUID()}`;
      const { createMember } = await t.ok(AccessTestCreateMemberDocument, { input: { email, name: 'Logs in', role: 'ANALYST', password } }, acme.token);
      const entry = await expectOneEntry(acme, async () => (await t.ok(LoginDocument, { email, password })).login.member.id, {
        operation: 'login',
        memberId: createMember.id,
      });
      expect(entry.targetIds).toEqual([createMember.id]);
    });
  });

  it('a failed mutation adds no entry', async () => {
    const other = await agency();
    const theirClient = await createClient(other.token);
    const clientId = await createClient(acme.token);
    const shopId = await createShop(acme.token, clientId);
    const campaignId = await createCampaign(acme.token, shopId);
    const analyst = await addMember(acme, 'ANALYST');
    const existingShop = (await t.ok(ShopsDocument, { clientId }, acme.token)).shops.edges[0].node;
    const before = await auditCount(acme.token);

    const failures: Array<[string, Promise<GqlResult<unknown>>]> = [
      ['BAD_USER_INPUT', t.gql(CreateClientDocument, { input: { name: '   ' } }, acme.token)],
      ['NOT_FOUND', t.gql(UpdateClientDocument, { id: theirClient, input: { name: 'Stolen' } }, acme.token)],
      ['INVALID_TRANSITION', t.gql(SetCampaignStatusDocument, { id: campaignId, status: 'COMPLETED' }, acme.token)],
      ['BAD_USER_INPUT', t.gql(UpsertProductsDocument, { shopId, products: [{ sku: 'A', title: 'A', price: { amountMinor: 1, currency: 'EUR' } }] }, acme.token)],
      [
        'CONFLICT',
        t.gql(
          CreateShopDocument,
          { input: { clientId, name: 'Dup', externalId: existingShop.externalId, region: 'US', currency: 'USD', timeZone: 'UTC' } },
          acme.token,
        ),
      ],
      ['NOT_FOUND', t.gql(AccessTestRevokeApiKeyDocument, { id: (await createKey(other, ['READ'])).id }, acme.token)],
      ['BAD_USER_INPUT', t.gql(AccessTestCreateApiKeyDocument, { name: 'x', scopes: [] }, acme.token)],
      ['CONFLICT', t.gql(AccessTestDeactivateMemberDocument, { id: acme.adminId }, acme.token)],
      ['FORBIDDEN', t.gql(CreateClientDocument, { input: { name: 'By analyst' } }, analyst.token)],
      ['UNAUTHENTICATED', t.gql(LoginDocument, { email: analyst.email, password: 'wrong-password-here' })],
    ];
    for (const [code, pending] of failures) expect(codes(await pending)).toEqual([code]);

    expect(await auditCount(acme.token)).toBe(before);
    expect((await t.ok(CampaignsDocument, { filter: { shopId } }, acme.token)).campaigns.edges[0].node.status).toBe('DRAFT');
  });

  it('lists entries newest first', async () => {
    const a = await createClient(acme.token);
    await t.ok(UpdateClientDocument, { id: a, input: { name: `Renamed ${unique()}` } }, acme.token);
    const b = await createClient(acme.token);

    const entries = await auditEntries(acme.token);
    expect(entries.slice(0, 3).map((e) => [e.operation, e.targetIds])).toEqual([
      ['createClient', [b]],
      ['updateClient', [a]],
      ['createClient', [a]],
    ]);
    const times = entries.map((e) => new Date(e.createdAt).getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));

    // Pages continue where the previous one ended.
    const page1 = await t.ok(AccessTestAuditLogDocument, { first: 2 }, acme.token);
    const page2 = await t.ok(AccessTestAuditLogDocument, { first: 2, after: page1.auditLog.pageInfo.endCursor }, acme.token);
    expect([...page1.auditLog.edges, ...page2.auditLog.edges].map((e) => e.node.id)).toEqual(entries.slice(0, 4).map((e) => e.id));
  });

  describe('filters', () => {
    let org: Agency;
    let manager: SignedInMember;
    let key: { id: string; secret: string };
    let byAdmin: string;
    let byManager: string;
    let byKey: string;

    beforeAll(async () => {
      org = await agency();
      manager = await addMember(org, 'ACCOUNT_MANAGER');
      key = await createKey(org, ['WRITE']);
      byAdmin = await createClient(org.token);
      byManager = await createClient(manager.token);
      byKey = await createClient(key.secret);
      await t.ok(UpdateClientDocument, { id: byAdmin, input: { status: 'ACTIVE' } }, org.token);
      await createShop(org.token, byAdmin);
    });

    it('memberId: the mutations of one member', async () => {
      const entries = await auditEntries(org.token, { memberId: manager.id });
      expect(entries.map((e) => e.operation)).toEqual(['createClient', 'login']);
      expect(entries.every((e) => e.member?.id === manager.id)).toBe(true);
      expect(entries[0].targetIds).toEqual([byManager]);
    });

    it('apiKeyId: the mutations made with one key', async () => {
      const entries = await auditEntries(org.token, { apiKeyId: key.id });
      expect(entries.map((e) => [e.operation, e.targetIds, e.member, e.apiKey?.id])).toEqual([['createClient', [byKey], null, key.id]]);
    });

    it('operations: only those mutations', async () => {
      const entries = await auditEntries(org.token, { operations: ['createClient', 'createShop'] });
      expect(entries.map((e) => e.operation)).toEqual(['createShop', 'createClient', 'createClient', 'createClient']);
      expect(entries.slice(1).map((e) => e.targetIds[0])).toEqual([byKey, byManager, byAdmin]);
      expect(await auditEntries(org.token, { operations: ['noSuchMutation'] })).toEqual([]);
    });

    it('targetId: the mutations that wrote one object', async () => {
      const entries = await auditEntries(org.token, { targetId: byAdmin });
      expect(entries.map((e) => e.operation)).toEqual(['updateClient', 'createClient']);
      expect(entries.every((e) => e.targetIds.includes(byAdmin))).toBe(true);
    });

    it('from (inclusive) and to (exclusive)', async () => {
      const all = await auditEntries(org.token);
      expect(all.length).toBeGreaterThanOrEqual(6);
      const at = (e: AuditNode) => new Date(e.createdAt).getTime();
      const from = all[all.length - 3].createdAt;
      const to = all[1].createdAt;
      const expectIds = (pred: (e: AuditNode) => boolean) => all.filter(pred).map((e) => e.id);

      expect((await auditEntries(org.token, { from })).map((e) => e.id)).toEqual(expectIds((e) => at(e) >= Date.parse(from)));
      expect((await auditEntries(org.token, { to })).map((e) => e.id)).toEqual(expectIds((e) => at(e) < Date.parse(to)));
      const between = await auditEntries(org.token, { from, to });
      expect(between.map((e) => e.id)).toEqual(expectIds((e) => at(e) >= Date.parse(from) && at(e) < Date.parse(to)));
      expect(between.map((e) => e.id)).toContain(all[all.length - 3].id);
      expect(between.map((e) => e.id)).not.toContain(all[1].id);
    });

    it('rejects an id of the wrong type in memberId / apiKeyId', async () => {
      const res = await t.gql(AccessTestAuditLogDocument, { filter: { memberId: key.id } }, org.token);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldKeys(res)).toEqual(['filter.memberId']);
      const res2 = await t.gql(AccessTestAuditLogDocument, { filter: { apiKeyId: manager.id } }, org.token);
      expect(codes(res2)).toEqual(['BAD_USER_INPUT']);
      expect(fieldKeys(res2)).toEqual(['filter.apiKeyId']);
    });
  });

  it('is FORBIDDEN to everyone but admins', async () => {
    const clientId = await createClient(acme.token);
    const callers: Array<[string, string]> = [
      ['ACCOUNT_MANAGER', (await addMember(acme, 'ACCOUNT_MANAGER')).token],
      ['SENIOR_ACCOUNT_MANAGER', (await addMember(acme, 'SENIOR_ACCOUNT_MANAGER')).token],
      ['ANALYST', (await addMember(acme, 'ANALYST')).token],
      ['CLIENT_VIEWER', (await addMember(acme, 'CLIENT_VIEWER', clientId)).token],
      ['READ key', (await createKey(acme, ['READ', 'WRITE', 'INGEST', 'ALERTS'])).secret],
    ];
    for (const [who, token] of callers) {
      const res = await t.gql(AccessTestAuditLogDocument, {}, token);
      expect([who, codes(res)]).toEqual([who, ['FORBIDDEN']]);
      expect(res.data).toBeNull();
    }
    expect(codes(await t.gql(AccessTestAuditLogDocument, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('node(id) shows an audit entry to admins only, like auditLog', async () => {
    const clientId = await createClient(acme.token);
    const [entry] = await auditEntries(acme.token, { targetId: clientId });
    expect((await t.ok(AccessTestAuditEntryNodeDocument, { id: entry.id }, acme.token)).node).toMatchObject({ __typename: 'AuditEntry', id: entry.id });
    const readers: Array<[string, string]> = [
      ['ACCOUNT_MANAGER', (await addMember(acme, 'ACCOUNT_MANAGER')).token],
      ['ANALYST', (await addMember(acme, 'ANALYST')).token],
      ['CLIENT_VIEWER', (await addMember(acme, 'CLIENT_VIEWER', clientId)).token],
      ['READ key', (await createKey(acme, ['READ'])).secret],
    ];
    for (const [who, token] of readers) {
      const res = await t.gql(AccessTestAuditEntryNodeDocument, { id: entry.id }, token);
      expect([who, res.data?.node ?? null]).toEqual([who, null]);
    }
  });

  it("never shows another agency's entries", async () => {
    const other = await agency();
    const otherMember = await addMember(other, 'ACCOUNT_MANAGER');
    const theirClient = await createClient(other.token);
    await createClient(otherMember.token);
    const theirKey = await createKey(other, ['WRITE']);
    await createClient(theirKey.secret);

    const entries = await auditEntries(acme.token);
    const theirEntries = await auditEntries(other.token);
    expect(theirEntries.length).toBeGreaterThanOrEqual(6);
    const mineIds = new Set(entries.map((e) => e.id));
    expect(theirEntries.filter((e) => mineIds.has(e.id))).toEqual([]);
    expect(entries.filter((e) => [other.adminId, otherMember.id].includes(e.member?.id ?? ''))).toEqual([]);

    expect(await auditEntries(acme.token, { targetId: theirClient })).toEqual([]);
    expect(await auditEntries(acme.token, { memberId: otherMember.id })).toEqual([]);
    expect(await auditEntries(acme.token, { apiKeyId: theirKey.id })).toEqual([]);
    expect((await t.ok(NodeDocument, { id: theirEntries[0].id }, acme.token)).node).toBeNull();
  });

  it('no entry contains a password or an API key secret', async () => {
    const org = await agency();
    const member = await addMember(org, 'ACCOUNT_MANAGER');
    await t.gql(LoginDocument, { email: member.email, password: 'a-wrong-password-123' });
    const key = await createKey(org, ['WRITE']);
    await createClient(key.secret);
    await t.ok(AccessTestSetMemberRoleDocument, { id: member.id, role: 'ANALYST' }, org.token);
    await t.ok(AccessTestDeactivateMemberDocument, { id: member.id }, org.token);

    const entries = await auditEntries(org.token);
    expect(entries.map((e) => e.operation)).toEqual(
      expect.arrayContaining(['createMember', 'login', 'createApiKey', 'createClient', 'setMemberRole', 'deactivateMember']),
    );
    const json = JSON.stringify(entries);
    const tail = key.secret.slice(key.prefix.length + 1);
    for (const secret of [ADMIN_PASSWORD, member.password, 'a-wrong-password-123', key.secret, tail]) {
      expect(json).not.toContain(secret);
    }
  });
});
