/**
 * The access matrix: every root field of the executable schema, called as every kind of caller.
 *
 * - EXPECTED below says what each root field needs; the schema and the @Authorized declarations
 *   must agree with it, so a new field fails here until someone decides who may call it.
 * - Each field is called as a member of every role and as an API key of every scope, with an
 *   operation generated from the schema; it must be refused (FORBIDDEN) exactly when the caller
 *   lacks the permission (ROLE_PERMISSIONS / SCOPE_PERMISSIONS).
 * - Leak probe: agency B's callers call every field with agency A's ids; nothing of A may show,
 *   A's ids must behave like ids that never existed, and A must be unchanged afterwards.
 */
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  GraphQLField,
  GraphQLInputType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { ApiScope, Permission, ROLE_PERMISSIONS, SCOPE_PERMISSIONS } from '../src/common/access';
import { Role } from '../src/common/context';
import { checkQueryLimits, QUERY_LIMITS } from '../src/common/limits';
import { parseGlobalId, toGlobalId } from '../src/common/global-id';
import { buildAppSchema, resolvers } from '../src/schema';
import {
  AccessMatrixAgencySnapshotDocument,
  AccessMatrixAgencySnapshotQuery,
  AccessMatrixAuditEntriesDocument,
  AccessMatrixCreateApiKeyDocument,
  AccessMatrixCreateMemberDocument,
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  EnrollCreatorsDocument,
  EnrollmentsTestSetStatusDocument,
  ContentTestSubmitDocument,
  ContentTestShipSampleDocument,
  ContentTestSaveTemplateDocument,
  ContentTestInviteDocument,
  LoginDocument,
  NodeDocument,
  NodesDocument,
  UpsertProductsDocument,
  IngestOrdersDocument,
  IngestOrdersListDocument,
} from './generated/graphql';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

// ---------------------------------------------------------------------------------------------
// The expected table
// ---------------------------------------------------------------------------------------------

/** What a root field needs: nothing (login), any signed-in caller, or a permission. */
type Need = 'PUBLIC' | 'SIGNED_IN' | Permission;
const P = Permission;

/** Every root field of the schema, "<RootType>.<field>" -> what it needs. Add new fields here. */
const EXPECTED: Record<string, Need> = {
  'Query.agency': P.READ,
  'Query.apiKeys': P.ADMIN,
  'Query.auditLog': P.ADMIN,
  'Query.campaign': P.READ,
  'Query.campaigns': P.READ,
  'Query.client': P.READ,
  'Query.clients': P.READ,
  'Query.content': P.READ,
  'Query.samplesAwaitingContent': P.READ,
  'Query.sampleRoi': P.READ,
  'Query.outreachTemplates': P.READ,
  'Query.creator': P.READ,
  'Query.creatorByHandle': P.READ,
  'Query.creatorLeaderboard': P.READ,
  'Query.creators': P.READ,
  'Query.node': P.READ,
  'Query.nodes': P.READ,
  'Query.shop': P.READ,
  'Query.shops': P.READ,
  'Query.viewer': 'SIGNED_IN',
  'Query.orders': P.READ,

  'Mutation.login': 'PUBLIC',
  'Mutation.changePassword': P.OWN_ACCOUNT,
  'Mutation.updateAgency': P.ADMIN,
  'Mutation.updateAgencySettings': P.ADMIN,
  'Mutation.recordShopHealth': P.INGEST,
  'Mutation.createMember': P.ADMIN,
  'Mutation.setMemberRole': P.ADMIN,
  'Mutation.deactivateMember': P.ADMIN,
  'Mutation.createApiKey': P.ADMIN,
  'Mutation.revokeApiKey': P.ADMIN,
  'Mutation.createClient': P.WRITE,
  'Mutation.updateClient': P.WRITE,
  'Mutation.createShop': P.WRITE,
  'Mutation.updateShop': P.WRITE,
  'Mutation.upsertProducts': P.WRITE,
  'Mutation.createCreator': P.WRITE,
  'Mutation.updateCreator': P.WRITE,
  'Mutation.createCampaign': P.WRITE,
  'Mutation.updateCampaign': P.WRITE,
  'Mutation.setCampaignStatus': P.WRITE,
  'Mutation.enrollCreators': P.WRITE,
  'Mutation.setEnrollmentStatus': P.WRITE,
  'Mutation.updateEnrollment': P.WRITE,
  'Mutation.ingestOrders': P.INGEST,
  'Mutation.ingestDailyStats': P.INGEST,
  'Mutation.submitContent': P.WRITE,
  'Mutation.planContent': P.WRITE,
  'Mutation.reviewContent': P.WRITE,
  'Mutation.markContentLive': P.WRITE,
  'Mutation.removeContent': P.WRITE,
  'Mutation.publishCampaignBrief': P.WRITE,
  'Mutation.shipSample': P.WRITE,
  'Mutation.markSampleDelivered': P.WRITE,
  'Mutation.saveOutreachTemplate': P.WRITE,
  'Mutation.inviteCreators': P.WRITE,
  'Mutation.recordOutreachReply': P.WRITE,
  'Mutation.addCreatorNote': P.WRITE,
  'Mutation.setCreatorTags': P.WRITE,
};

// ---------------------------------------------------------------------------------------------
// Root fields and their declarations
// ---------------------------------------------------------------------------------------------

type RootKind = 'Query' | 'Mutation' | 'Subscription';

interface RootField {
  /** "Query.node" */
  key: string;
  kind: RootKind;
  field: GraphQLField<unknown, unknown>;
}

/** Every root field of the executable schema, subscriptions included. */
function rootFields(schema: GraphQLSchema): RootField[] {
  const roots: Array<[RootKind, GraphQLObjectType | null | undefined]> = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([kind, type]) => Object.values(type?.getFields() ?? {}).map((field) => ({ key: `${kind}.${field.name}`, kind, field })));
}

/** Root fields that can be called over HTTP POST (queries and mutations). */
function callableRootFields(schema: GraphQLSchema): RootField[] {
  return rootFields(schema).filter((r) => r.kind !== 'Subscription');
}

/**
 * What the resolver method behind a root field declares with @Authorized, read from
 * type-graphql's metadata: 'PUBLIC' (no decorator), 'SIGNED_IN' (@Authorized()), or the
 * permissions it lists joined with '|'.
 */
function declaredNeed(kind: RootKind, name: string): string {
  const storage = getMetadataStorage();
  const handlers = { Query: storage.queries, Mutation: storage.mutations, Subscription: storage.subscriptions }[kind];
  const inSchema = (target: Function) => resolvers.some((r) => r === target || r.prototype instanceof target);
  const handler = handlers.find((h) => h.schemaName === name && inSchema(h.target));
  if (!handler) return 'NO RESOLVER METADATA';
  const isOnClass = (target: Function) => handler.target === target || handler.target.prototype instanceof target;
  const authorized =
    storage.authorizedFields.find((a) => a.fieldName === handler.methodName && isOnClass(a.target)) ??
    storage.authorizedResolver.find((a) => isOnClass(a.target));
  if (!authorized) return 'PUBLIC';
  return authorized.roles.length === 0 ? 'SIGNED_IN' : [...authorized.roles].sort().join('|');
}

// ---------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------

interface Caller {
  /** "role ANALYST" or "key INGEST", for messages. */
  name: string;
  token: string;
  permissions: ReadonlySet<Permission>;
}

function mayCall(caller: Caller, need: Need): boolean {
  return need === 'PUBLIC' || need === 'SIGNED_IN' || caller.permissions.has(need);
}

// ---------------------------------------------------------------------------------------------
// Generic operations: argument values and selection sets from the schema
// ---------------------------------------------------------------------------------------------

/** A fixture's objects: Node type name -> global id. */
type IdPool = Record<string, string>;

interface BuildOptions {
  /** Where ID arguments come from. */
  ids: IdPool;
  /** Also fill optional arguments and input fields that carry an ID (the leak probe). */
  allIds: boolean;
  /** Levels of object fields to select below the root field (0: `__typename` and scalars). */
  depth: number;
  /** Fixed argument values per root field name, for arguments no generic value fits (login). */
  overrides: Record<string, Record<string, unknown>>;
  /** Page size for a root field that takes `first` (the leak probe reads whole lists). */
  rootPage?: number;
}

interface Operation {
  key: string;
  document: string;
  variables: Record<string, unknown>;
  /** The global ids the operation sends, in its arguments. */
  sentIds: string[];
  /** How deep the selection went (limited by the server's query cost limit). */
  depth: number;
}

/** An ID argument whose type cannot be inferred: any fixture id will do. */
const ANY = '*';
/** Argument-name stems that do not spell their type. */
const ID_ALIASES: Record<string, string> = { accountManager: 'Member', target: ANY };

/**
 * The type of object an ID argument names: `id` the field's own return type (updateClient(id)
 * -> Client), `shopId`/`productIds` -> Shop/Product; ANY when that is not a fixture type.
 */
function idTypeFor(argName: string, returnType: string, ids: IdPool): string {
  const stem = argName.replace(/Ids?$/, '');
  const typeName = stem === 'id' || stem === 'ids' ? returnType : (ID_ALIASES[stem] ?? stem.charAt(0).toUpperCase() + stem.slice(1));
  return typeName in ids ? typeName : ANY;
}

let uniqueCounter = 0;

/** Sample values of the scalars; a new custom scalar fails the test until it gets one here. */
const SCALAR_SAMPLES: Record<string, () => unknown> = {
  String: () => 'x',
  Int: () => 1,
  Float: () => 1,
  Boolean: () => true,
  Currency: () => 'USD',
  CountryCode: () => 'US',
  EmailAddress: () => `x-${++uniqueCounter}@example.com`,
  LocalDate: () => '2026-01-01',
  DateTime: () => new Date('2026-01-01T00:00:00Z').toISOString(),
  SafeInt: () => 1,
  NonNegativeInt: () => 1,
  URL: () => 'https://example.com',
  JSONObject: () => ({}),
};

/**
 * Strings that must look a certain way to get past input validation, by argument or field name,
 * so that allowed calls reach the service (and, in the leak probe, its lookup of the ids).
 */
const STRING_SAMPLES: Record<string, () => string> = {
  handle: () => `x_${++uniqueCounter}`,
  externalId: () => `x-${++uniqueCounter}`,
  timeZone: () => 'America/New_York',
  password: () => PASSWORD,
  // A valid new password with a wrong current one: changePassword reaches its check, changes nothing.
  newPassword: () => 'a-brand-new-password',
};

/** Whether a value of this input type contains an ID somewhere (fields of input objects too). */
function carriesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => carriesId(f.type, seen));
}

/** Arguments and input fields we fill: required ones, and ones carrying ids when asked to. */
function mustFill(item: { type: GraphQLInputType; defaultValue?: unknown }, options: BuildOptions): boolean {
  const required = isNonNullType(item.type) && item.defaultValue === undefined;
  return required || (options.allIds && carriesId(item.type));
}

/**
 * A valid value for the argument or input field `name` of `type`: ids from the pool (of the type
 * the name implies), scalars from STRING_SAMPLES / SCALAR_SAMPLES, the first value of an enum,
 * input objects with their fields filled, lists of one element (a list of ids of unknown type
 * gets one id of every fixture object). Every id used is pushed onto `sent`.
 */
function valueFor(type: GraphQLInputType, name: string, returnType: string, options: BuildOptions, sent: string[]): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name, returnType, options, sent);
  const idType = idTypeFor(name, returnType, options.ids);
  if (isListType(type)) {
    if (getNamedType(type).name === 'ID' && idType === ANY) {
      const all = Object.values(options.ids);
      sent.push(...all);
      return all;
    }
    return [valueFor(type.ofType, name, returnType, options, sent)];
  }
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (mustFill(field, options)) value[field.name] = valueFor(field.type, field.name, returnType, options, sent);
    }
    return value;
  }
  if (type.name === 'ID') {
    const id = idType === ANY ? options.ids.Client : options.ids[idType];
    sent.push(id);
    return id;
  }
  const sample = (type.name === 'String' && STRING_SAMPLES[name]) || SCALAR_SAMPLES[type.name];
  if (!sample) throw new Error(`No sample value for scalar ${type.name}: add one to SCALAR_SAMPLES`);
  return sample();
}

/** Page size of connections below the root field, so a deep selection stays within the cost limit. */
const NESTED_PAGE = 3;

/**
 * The selection set of an output type, `depth` levels of object fields deep: `__typename`, every
 * field that needs no arguments (connections get `first: NESTED_PAGE`).
 */
function selectionFor(schema: GraphQLSchema, type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  // Of an interface (Node) only its own fields: fragments on every implementation would select
  // same-named fields of different types, which GraphQL refuses. A Node shows its id, enough to
  // recognise one that should not be there.
  if (isAbstractType(named)) return `{ ${isInterfaceType(named) ? fieldsOf(schema, named, 0) : '__typename'} }`;
  return `{ ${fieldsOf(schema, named, depth)} }`;
}

function fieldsOf(schema: GraphQLSchema, type: GraphQLObjectType | GraphQLInterfaceType, depth: number): string {
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (isLeafType(getNamedType(field.type))) parts.push(field.name);
    else if (depth > 0) {
      const page = field.args.some((a) => a.name === 'first') ? `(first: ${NESTED_PAGE})` : '';
      parts.push(`${field.name}${page} ${selectionFor(schema, field.type, depth - 1)}`);
    }
  }
  return parts.join(' ');
}

/** Whether the server's query limits (depth, aliases, tokens, cost) accept a document. */
function withinLimits(schema: GraphQLSchema, document: string, variables: Record<string, unknown>): boolean {
  try {
    const parsed = parse(document, { maxTokens: QUERY_LIMITS.maxTokens });
    checkQueryLimits(schema, parsed, parsed.definitions[0] as OperationDefinitionNode, variables);
    return true;
  } catch {
    return false;
  }
}

/**
 * A complete operation that calls one root field, its arguments passed as variables; the
 * selection is as deep as `options.depth` allows within the server's query limits.
 */
function buildOperation(schema: GraphQLSchema, root: RootField, options: BuildOptions): Operation {
  const { field } = root;
  const returnType = getNamedType(field.type).name;
  const overrides: Record<string, unknown> = { ...options.overrides[field.name] };
  if (options.rootPage && field.args.some((a) => a.name === 'first')) overrides.first ??= options.rootPage;
  const sentIds: string[] = [];
  const variables: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (arg.name in overrides) variables[arg.name] = overrides[arg.name];
    else if (mustFill(arg, options)) variables[arg.name] = valueFor(arg.type, arg.name, returnType, options, sentIds);
  }
  // Each argument is passed as a variable of the same name and type.
  const used = field.args.filter((a) => a.name in variables);
  const definitions = used.length ? `(${used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const callArgs = used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const documentAt = (depth: number) =>
    `${root.kind.toLowerCase()} AccessMatrix${definitions} { ${field.name}${callArgs} ${selectionFor(schema, field.type, depth)} }`;
  let depth = options.depth;
  while (depth > 0 && !withinLimits(schema, documentAt(depth), variables)) depth--;
  const document = documentAt(depth);
  const problems = validate(schema, parse(document));
  if (problems.length) throw new Error(`Generated an invalid operation for ${root.key}: ${problems.map((p) => p.message).join('; ')}\n${document}`);
  return { key: root.key, document, variables, sentIds, depth };
}

// ---------------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------------

type Result = GqlResult<Record<string, unknown>>;

/**
 * What happened to a call: UNAUTHENTICATED / FORBIDDEN; ALLOWED when the field's resolver ran
 * (data, or an error of the field such as NOT_FOUND or BAD_USER_INPUT from the service); anything
 * else (a crash, a request refused before execution) is described as is.
 */
function outcomeOf(res: Result, fieldName: string): string {
  const found = codes(res);
  if (found.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  if (found.includes('FORBIDDEN')) return 'FORBIDDEN';
  if (found.includes('INTERNAL_SERVER_ERROR')) return 'INTERNAL_SERVER_ERROR';
  const ran = (res.data != null && fieldName in res.data) || (res.errors ?? []).some((e) => e.path?.[0] === fieldName);
  if (ran) return 'ALLOWED';
  return `not executed (${(res.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')})`;
}

/** A response's errors reduced to what a caller may compare: code and the names of bad fields. */
function errorShape(res: Result): string[] {
  return (res.errors ?? []).map((e) => `${e.extensions?.code} [${Object.keys(e.extensions?.fields ?? {}).sort().join(',')}]`);
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** The password of every member here (t.createAgency gives its admins the same one). */
const PASSWORD = 'correct-horse-battery';

interface AgencyFixture {
  admin: TestAgency;
  /** One object of every Node type (those of the first client): type name -> global id. */
  ids: IdPool;
  /** The objects of a second client of the same agency. */
  client2: { Client: string; Shop: string; Product: string; Campaign: string };
  snapshot: () => Promise<AccessMatrixAgencySnapshotQuery>;
}

let t: TestServer;
let schema: GraphQLSchema;

/**
 * An agency with two clients, each with a USD shop, a product and a campaign of that product;
 * a creator (with an e-mail address) enrolled in the first campaign; an ANALYST member and a
 * READ API key that no test signs in with (safe to deactivate and revoke). Every name contains
 * `label`, so a response that shows any of them is easy to find.
 */
async function seedAgency(label: string): Promise<AgencyFixture> {
  const admin = await t.createAgency(`${label} Agency`);
  const as = admin.token;
  const lower = label.toLowerCase();

  const clientOf = async (n: number) => (await t.ok(CreateClientDocument, { input: { name: `${label} Client ${n}` } }, as)).createClient.id;
  const shopOf = async (clientId: string, n: number) =>
    (
      await t.ok(
        CreateShopDocument,
        { input: { clientId, name: `${label} Shop ${n}`, externalId: `${label}-EXT-${n}`, region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
        as,
      )
    ).createShop.id;
  const productOf = async (shopId: string, n: number) =>
    (
      await t.ok(
        UpsertProductsDocument,
        { shopId, products: [{ sku: `${label}-SKU-${n}`, title: `${label} Product ${n}`, price: { amountMinor: 1999, currency: 'USD' } }] },
        as,
      )
    ).upsertProducts[0].id;
  const campaignOf = async (shopId: string, productId: string, n: number) =>
    (
      await t.ok(
        CreateCampaignDocument,
        { input: { shopId, productIds: [productId], name: `${label} Campaign ${n}`, objective: 'SALES', startDate: '2026-01-01', commissionRateBps: 1000 } },
        as,
      )
    ).createCampaign.id;

  const client1 = await clientOf(1);
  const client2 = await clientOf(2);
  const shop1 = await shopOf(client1, 1);
  const shop2 = await shopOf(client2, 2);
  const product1 = await productOf(shop1, 1);
  const product2 = await productOf(shop2, 2);
  const campaign1 = await campaignOf(shop1, product1, 1);
  const campaign2 = await campaignOf(shop2, product2, 2);
  const { createCreator } = await t.ok(
    CreateCreatorDocument,
    { input: { handle: `${lower}creator`, displayName: `${label} Creator`, followerCount: 1000, email: `${lower}-creator@example.com` } },
    as,
  );
  const { enrollCreators } = await t.ok(EnrollCreatorsDocument, { campaignId: campaign1, creators: [{ creatorId: createCreator.id }] }, as);
  await t.ok(EnrollmentsTestSetStatusDocument, { id: enrollCreators[0].id, status: 'ACCEPTED' }, as);
  const { submitContent } = await t.ok(ContentTestSubmitDocument, { input: { enrollmentId: enrollCreators[0].id, caption: `${label} video #ad` } }, as);
  const { shipSample } = await t.ok(
    ContentTestShipSampleDocument,
    { input: { enrollmentId: enrollCreators[0].id, productId: product1, cost: { amountMinor: 500, currency: 'USD' }, trackingNumber: `${label}-1Z` } },
    as,
  );
  const { saveOutreachTemplate } = await t.ok(ContentTestSaveTemplateDocument, { input: { name: `${label} Template`, channel: 'EMAIL', body: 'Hi {{creator.handle}}' } }, as);
  const { createCreator: invitee } = await t.ok(CreateCreatorDocument, { input: { handle: `${lower}invitee`, followerCount: 10 } }, as);
  const { inviteCreators } = await t.ok(ContentTestInviteDocument, { campaignId: campaign2, creatorIds: [invitee.id], templateId: saveOutreachTemplate.id }, as);
  const { createMember } = await t.ok(
    AccessMatrixCreateMemberDocument,
    { input: { email: `${lower}-member@example.com`, name: `${label} Member`, role: 'ANALYST', password: PASSWORD } },
    as,
  );
  const { createApiKey } = await t.ok(AccessMatrixCreateApiKeyDocument, { name: `${label} Key`, scopes: ['READ'] }, as);
  await t.ok(
    IngestOrdersDocument,
    { shopId: shop1, orders: [{ externalId: `${label}-LINE-1`, productSku: `${label}-SKU-1`, status: 'PLACED', quantity: 1, gmv: { amountMinor: 1999, currency: 'USD' }, placedAt: '2026-01-05T12:00:00Z' }] },
    as,
  );
  const order1 = (await t.ok(IngestOrdersListDocument, { shopId: shop1 }, as)).orders.edges[0].node.id;
  const { auditLog } = await t.ok(AccessMatrixAuditEntriesDocument, {}, as);
  const snapshot = () => t.ok(AccessMatrixAgencySnapshotDocument, {}, as);

  return {
    admin,
    ids: {
      Agency: (await snapshot()).agency.id,
      Client: client1,
      Shop: shop1,
      Product: product1,
      Creator: createCreator.id,
      Campaign: campaign1,
      CampaignEnrollment: enrollCreators[0].id,
      Content: submitContent.id,
      Sample: shipSample.id,
      OutreachTemplate: saveOutreachTemplate.id,
      OutreachMessage: inviteCreators.messages[0].id,
      Member: createMember.id,
      ApiKey: createApiKey.apiKey.id,
      AuditEntry: auditLog.edges[0].node.id,
      Order: order1,
    },
    client2: { Client: client2, Shop: shop2, Product: product2, Campaign: campaign2 },
    snapshot,
  };
}

/** A member of `role` in the fixture's agency, signed in. */
async function memberCaller(fixture: AgencyFixture, role: Role, clientId?: string): Promise<Caller> {
  const email = `${role.toLowerCase()}-${++uniqueCounter}@example.com`;
  await t.ok(AccessMatrixCreateMemberDocument, { input: { email, name: `Caller ${role}`, role, clientId, password: PASSWORD } }, fixture.admin.token);
  const { login } = await t.ok(LoginDocument, { email, password: PASSWORD });
  return { name: `role ${role}`, token: login.token, permissions: new Set(ROLE_PERMISSIONS[role]) };
}

/** An API key of one scope in the fixture's agency; its secret is the bearer token. */
async function keyCaller(fixture: AgencyFixture, scope: ApiScope): Promise<Caller> {
  const { createApiKey } = await t.ok(AccessMatrixCreateApiKeyDocument, { name: `Caller key ${scope}`, scopes: [scope] }, fixture.admin.token);
  return { name: `key ${scope}`, token: createApiKey.secret, permissions: new Set(SCOPE_PERMISSIONS[scope]) };
}

/** Agency A: only ever looked at from agency B. Its marker appears in every name it has. */
const A_MARKER = 'Quokkaleak';
let agencyA: AgencyFixture;
/** Agency B: the callers' agency. */
let agencyB: AgencyFixture;
/** Every role (the admin is B's first member) and every API key scope of agency B. */
let callers: Caller[];
let clientViewer: Caller;
/** Signing in needs real credentials: B's admin's. */
let overrides: BuildOptions['overrides'];

beforeAll(async () => {
  t = await startTestServer();
  schema = await buildAppSchema();
  agencyA = await seedAgency(A_MARKER);
  agencyB = await seedAgency('Bravo');
  const b = agencyB;
  clientViewer = await memberCaller(b, Role.CLIENT_VIEWER, b.ids.Client);
  callers = [
    { name: `role ${Role.AGENCY_ADMIN}`, token: b.admin.token, permissions: new Set(ROLE_PERMISSIONS[Role.AGENCY_ADMIN]) },
    await memberCaller(b, Role.SENIOR_ACCOUNT_MANAGER),
    await memberCaller(b, Role.ACCOUNT_MANAGER),
    await memberCaller(b, Role.ANALYST),
    clientViewer,
    ...(await Promise.all(Object.values(ApiScope).map((scope) => keyCaller(b, scope)))),
  ];
  overrides = { login: { email: b.admin.email, password: PASSWORD } };
}, 60_000);
afterAll(() => t.stop());

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('the permission table', () => {
  it('names every root field of the schema, and only those', () => {
    const inSchema = rootFields(schema).map((r) => r.key).sort();
    const inTable = Object.keys(EXPECTED).sort();
    expect({ missingFromTable: inSchema.filter((k) => !(k in EXPECTED)), notInSchema: inTable.filter((k) => !inSchema.includes(k)) }).toEqual({
      missingFromTable: [],
      notInSchema: [],
    });
  });

  it('agrees with the @Authorized declaration of every root field', () => {
    const declared = Object.fromEntries(rootFields(schema).map((r) => [r.key, declaredNeed(r.kind, r.field.name)]));
    expect(declared).toEqual(EXPECTED);
  });

  it('leaves only login undecorated: every other field needs a signed-in caller', () => {
    const undecorated = rootFields(schema).filter((r) => declaredNeed(r.kind, r.field.name) === 'PUBLIC').map((r) => r.key);
    expect(undecorated).toEqual(['Mutation.login']);
  });

  it('has a fixture object for every Node type, so every ID argument gets a real id', () => {
    const nodeTypes = schema.getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType).map((type) => type.name).sort();
    expect(Object.keys(agencyA.ids).sort()).toEqual(nodeTypes);
  });
});

describe('without a token', () => {
  it('every root field but login answers UNAUTHENTICATED and no data', async () => {
    const mismatches: string[] = [];
    for (const root of callableRootFields(schema)) {
      const op = buildOperation(schema, root, { ids: agencyB.ids, allIds: false, depth: 0, overrides });
      const res = await t.gql<Record<string, unknown>, Record<string, unknown>>(op.document, op.variables);
      const expected = EXPECTED[root.key] === 'PUBLIC' ? 'ALLOWED' : 'UNAUTHENTICATED';
      const actual = outcomeOf(res, root.field.name);
      if (actual !== expected) mismatches.push(`${root.key}: expected ${expected}, got ${actual}`);
      if (expected === 'UNAUTHENTICATED' && res.data != null) mismatches.push(`${root.key}: returned data ${JSON.stringify(res.data)}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('as each role and each API key scope', () => {
  it('every root field is allowed exactly when the caller has the permission it needs, else FORBIDDEN', async () => {
    const mismatches: string[] = [];
    let calls = 0;
    for (const root of callableRootFields(schema)) {
      for (const caller of callers) {
        // Fresh values for each call (unique e-mails); ids of agency B, whose member and key in
        // the pool are throwaways, so deactivateMember and revokeApiKey never hit a caller.
        const op = buildOperation(schema, root, { ids: agencyB.ids, allIds: false, depth: 0, overrides });
        const res = await t.gql<Record<string, unknown>, Record<string, unknown>>(op.document, op.variables, caller.token);
        const expected = mayCall(caller, EXPECTED[root.key]) ? 'ALLOWED' : 'FORBIDDEN';
        const actual = outcomeOf(res, root.field.name);
        if (actual !== expected) mismatches.push(`${root.key} as ${caller.name}: expected ${expected}, got ${actual}`);
        calls++;
      }
    }
    const everyone = [...Object.values(Role).map((r) => `role ${r}`), ...Object.values(ApiScope).map((s) => `key ${s}`)];
    expect(callers.map((c) => c.name).sort()).toEqual(everyone.sort());
    expect(calls).toBe(callableRootFields(schema).length * everyone.length);
    expect(mismatches).toEqual([]);
  }, 180_000);
});

describe('as another agency', () => {
  /** How much of each response the probe selects: deep enough to show names and e-mails. */
  const LEAK_DEPTH = 3;
  /** Page size of root lists in the probe: all of B's objects, where a leaked one would show. */
  const LEAK_PAGE = 100;

  interface ProbeCall {
    root: RootField;
    caller: Caller;
    withA: Result;
    /** The same call with ids of the same types that never existed; null if the call sends no ids. */
    withGhosts: Result | null;
  }
  const probe: ProbeCall[] = [];
  let before: AccessMatrixAgencySnapshotQuery;

  /** Everything that identifies A's data: global ids, their uuids, A's admin e-mail, the marker. */
  const needlesOfA = () => {
    const ids = [...Object.values(agencyA.ids), ...Object.values(agencyA.client2)];
    return [...ids, ...ids.map((id) => parseGlobalId(id)!.key), agencyA.admin.email, A_MARKER.toLowerCase()];
  };

  /** The needles of A found in a response (its data and errors), case-insensitively. */
  const needlesIn = (res: Result): string[] => {
    const text = JSON.stringify({ data: res.data, errors: res.errors }).toLowerCase();
    return needlesOfA().filter((n) => text.includes(n.toLowerCase()));
  };

  // Every B caller calls every root field with A's ids (optional id arguments too), and again
  // with ghost ids; mutations with no id act on B only.
  beforeAll(async () => {
    before = await agencyA.snapshot();
    const ghosts: IdPool = Object.fromEntries(Object.keys(agencyA.ids).map((type) => [type, toGlobalId(type, randomUUID())]));
    for (const root of callableRootFields(schema)) {
      for (const caller of callers) {
        const opA = buildOperation(schema, root, { ids: agencyA.ids, allIds: true, depth: LEAK_DEPTH, overrides, rootPage: LEAK_PAGE });
        const withA = await t.gql<Record<string, unknown>, Record<string, unknown>>(opA.document, opA.variables, caller.token);
        let withGhosts: Result | null = null;
        if (opA.sentIds.length > 0) {
          const opGhost = buildOperation(schema, root, { ids: ghosts, allIds: true, depth: LEAK_DEPTH, overrides, rootPage: LEAK_PAGE });
          withGhosts = await t.gql<Record<string, unknown>, Record<string, unknown>>(opGhost.document, opGhost.variables, caller.token);
        }
        probe.push({ root, caller, withA, withGhosts });
      }
    }
    // Hundreds of calls (changePassword's included, which run scrypt): slow when the suite runs in parallel.
  }, 180_000);

  it("finds none of A's ids, names or e-mail addresses in any response (0 leaks)", () => {
    const leaks = probe.flatMap(({ root, caller, withA }) => needlesIn(withA).map((n) => `${root.key} as ${caller.name} shows ${n}`));
    expect(probe.length).toBe(callableRootFields(schema).length * callers.length);
    expect(leaks).toEqual([]);
  });

  it("would notice a leak: the same search finds A's data in the same calls made by A's admin", async () => {
    const found = new Set<string>();
    for (const root of callableRootFields(schema).filter((r) => r.kind === 'Query')) {
      const op = buildOperation(schema, root, { ids: agencyA.ids, allIds: true, depth: LEAK_DEPTH, overrides, rootPage: LEAK_PAGE });
      const res = await t.gql<Record<string, unknown>, Record<string, unknown>>(op.document, op.variables, agencyA.admin.token);
      needlesIn(res).forEach((n) => found.add(n));
    }
    const a = agencyA.ids;
    expect([...found]).toEqual(
      expect.arrayContaining([A_MARKER.toLowerCase(), agencyA.admin.email, a.Agency, a.Client, a.Shop, a.Campaign, a.Creator, a.Member, a.ApiKey]),
    );
  });

  it("answers A's ids exactly like ids that never existed", () => {
    const differences = probe
      .filter((p) => p.withGhosts)
      .flatMap(({ root, caller, withA, withGhosts }) => {
        const a = { errors: errorShape(withA), data: root.kind === 'Query' ? withA.data : undefined };
        const ghost = { errors: errorShape(withGhosts!), data: root.kind === 'Query' ? withGhosts!.data : undefined };
        return JSON.stringify(a) === JSON.stringify(ghost) ? [] : [`${root.key} as ${caller.name}: ${JSON.stringify(a)} vs ${JSON.stringify(ghost)}`];
      });
    expect(probe.filter((p) => p.withGhosts).length).toBeGreaterThan(0);
    expect(differences).toEqual([]);
  });

  it("refuses mutations on A's ids: NOT_FOUND (or BAD_USER_INPUT) for callers who may call them, FORBIDDEN for the others", () => {
    const mutations = probe.filter((p) => p.root.kind === 'Mutation' && p.withGhosts);
    const wrong = mutations.flatMap(({ root, caller, withA }) => {
      const found = codes(withA);
      const ok = mayCall(caller, EXPECTED[root.key])
        ? found.length > 0 && found.every((c) => c === 'NOT_FOUND' || c === 'BAD_USER_INPUT') && withA.data?.[root.field.name] == null
        : found.length === 1 && found[0] === 'FORBIDDEN';
      return ok ? [] : [`${root.key} as ${caller.name}: ${JSON.stringify(withA.errors ?? withA.data)}`];
    });
    expect(mutations.map((p) => p.root.key)).toEqual(expect.arrayContaining(['Mutation.updateClient', 'Mutation.deactivateMember', 'Mutation.revokeApiKey']));
    expect(wrong).toEqual([]);
  });

  it('leaves A unchanged, re-read as A', async () => {
    expect(await agencyA.snapshot()).toEqual(before);
  });

  it("gets null from node and nodes for each of A's objects", async () => {
    const idsOfA = [...Object.values(agencyA.ids), ...Object.values(agencyA.client2)];
    for (const caller of callers.filter((c) => c.permissions.has(P.READ))) {
      for (const id of idsOfA) {
        const res = await t.gql(NodeDocument, { id }, caller.token);
        expect({ id, caller: caller.name, errors: res.errors, node: res.data?.node }).toEqual({ id, caller: caller.name, errors: undefined, node: null });
      }
      const { nodes } = await t.ok(NodesDocument, { ids: idsOfA }, caller.token);
      expect(nodes).toEqual(idsOfA.map(() => null));
    }
  });
});

describe('a CLIENT_VIEWER', () => {
  it('gets null from node(id) for the shop, campaign and product of another client of the agency', async () => {
    const own = [agencyB.ids.Client, agencyB.ids.Shop, agencyB.ids.Campaign, agencyB.ids.Product];
    for (const id of own) {
      const { node } = await t.ok(NodeDocument, { id }, clientViewer.token);
      expect(node?.id).toBe(id);
    }
    for (const id of Object.values(agencyB.client2)) {
      const res = await t.gql(NodeDocument, { id }, clientViewer.token);
      if (res.errors) expect(codes(res)).toEqual(['NOT_FOUND']);
      else expect(res.data?.node).toBeNull();
    }
  });

  it('sees the creators of their client without their e-mail addresses', async () => {
    const query = `query ($id: ID!) {
      node(id: $id) { ... on Creator { id email } }
      creators(first: 100) { edges { node { id email } } }
    }`;
    type Creators = { node: { id: string; email: string | null }; creators: { edges: Array<{ node: { id: string; email: string | null } }> } };
    const asAdmin = await t.gql<Creators, { id: string }>(query, { id: agencyB.ids.Creator }, agencyB.admin.token);
    expect(asAdmin.data?.node.email).toBe('bravo-creator@example.com');

    const asViewer = await t.gql<Creators, { id: string }>(query, { id: agencyB.ids.Creator }, clientViewer.token);
    expect(asViewer.errors).toBeUndefined();
    expect(asViewer.data?.node).toEqual({ id: agencyB.ids.Creator, email: null });
    expect(asViewer.data?.creators.edges.map((e) => e.node)).toEqual([{ id: agencyB.ids.Creator, email: null }]);
  });
});
