import { setClock } from '../src/common/clock';
import { ContentEvent, onContentEvent } from '../src/modules/content/content-events';
import { CONTENT_MOVES, sweepOverdueContent, sweepOverdueContentOfAgency } from '../src/modules/content/content.service';
import { missingId } from './support/ids';
import { codes, GqlResult, startTestServer, TestAgency, TestServer } from './support/server';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are read as plain JSON here */

let t: TestServer;
let acme: TestAgency;
let other: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Acme');
  other = await t.createAgency('Other');
});
afterAll(async () => {
  setClock();
  await t.stop();
});
afterEach(() => {
  setClock();
});

const q = (query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult<any>> => t.gql<any, any>(query, variables, token);
async function ok(query: string, variables: Record<string, unknown>, token: string): Promise<any> {
  const res = await q(query, variables, token);
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
  return res.data;
}

let counter = 0;
const next = () => ++counter;

interface Setup {
  clientId: string;
  shopId: string;
  campaignId: string;
  productId: string;
  otherProductId: string;
  creatorId: string;
  enrollmentId: string;
}

/** A brand, a US shop (New York time), two products (one in the campaign), an active campaign, one creator invited. */
async function setup(agency: TestAgency, options: { accept?: boolean; contentDueDate?: string } = {}): Promise<Setup> {
  const n = next();
  const { createClient } = await ok(`mutation($name: String!) { createClient(input: { name: $name }) { id } }`, { name: `Brand ${n}` }, agency.token);
  const { createShop } = await ok(
    `mutation($clientId: ID!, $ext: String!) { createShop(input: { clientId: $clientId, name: "US", externalId: $ext, region: "US", currency: "USD", timeZone: "America/New_York" }) { id } }`,
    { clientId: createClient.id, ext: `ext-${n}` },
    agency.token,
  );
  const { upsertProducts } = await ok(
    `mutation($shopId: ID!) { upsertProducts(shopId: $shopId, products: [
      { sku: "SERUM", title: "Serum", price: { amountMinor: 2900, currency: "USD" }, unitCost: { amountMinor: 640, currency: "USD" } },
      { sku: "OTHER", title: "Other", price: { amountMinor: 1000, currency: "USD" } }]) { id sku } }`,
    { shopId: createShop.id },
    agency.token,
  );
  const productId = upsertProducts.find((p: any) => p.sku === 'SERUM').id;
  const otherProductId = upsertProducts.find((p: any) => p.sku === 'OTHER').id;
  const { createCampaign } = await ok(
    `mutation($shopId: ID!, $productId: ID!) { createCampaign(input: { shopId: $shopId, name: "Launch", objective: LAUNCH, startDate: "2026-12-01", commissionRateBps: 1200, productIds: [$productId] }) { id } }`,
    { shopId: createShop.id, productId },
    agency.token,
  );
  await ok(`mutation($id: ID!) { setCampaignStatus(id: $id, status: ACTIVE) { id } }`, { id: createCampaign.id }, agency.token);
  const { createCreator } = await ok(`mutation($h: String!) { createCreator(input: { handle: $h, followerCount: 5000 }) { id } }`, { h: `creator_${n}` }, agency.token);
  const { enrollCreators } = await ok(
    `mutation($c: ID!, $cr: ID!, $due: LocalDate) { enrollCreators(campaignId: $c, creators: [{ creatorId: $cr, contentDueDate: $due }]) { id } }`,
    { c: createCampaign.id, cr: createCreator.id, due: options.contentDueDate ?? null },
    agency.token,
  );
  const enrollmentId = enrollCreators[0].id;
  if (options.accept !== false) await moveEnrollment(enrollmentId, 'ACCEPTED', agency.token);
  return { clientId: createClient.id, shopId: createShop.id, campaignId: createCampaign.id, productId, otherProductId, creatorId: createCreator.id, enrollmentId };
}

function moveEnrollment(id: string, status: string, token: string, tracking?: string) {
  return ok(
    `mutation($id: ID!, $s: EnrollmentStatus!, $tr: String) { setEnrollmentStatus(id: $id, status: $s, sampleTrackingNumber: $tr) { status } }`,
    { id, s: status, tr: tracking ?? (status === 'SAMPLE_SHIPPED' ? '1Z999' : null) },
    token,
  );
}

/** PLANNED content of the setup's enrollment, due on 2026-12-20. */
async function planned(s: Setup): Promise<string> {
  const res = await q(`mutation($input: PlanContentInput!) { planContent(input: $input) { id status revision dueAt enrollment { status } } }`, {
    input: { enrollmentId: s.enrollmentId, productId: s.productId, format: 'LIVE', dueAt: '2026-12-20T18:00:00.000Z' },
  }, acme.token);
  expect(res.data?.planContent).toMatchObject({ status: 'PLANNED', revision: 1, dueAt: '2026-12-20T18:00:00.000Z', enrollment: { status: 'ACCEPTED' } });
  return res.data.planContent.id;
}

const CONTENT_FIELDS = `id status revision caption url videoId dueAt postedAt submittedAt reviewDueAt`;

const submit = (input: Record<string, unknown>, token = acme.token) =>
  q(`mutation($input: SubmitContentInput!) { submitContent(input: $input) { ${CONTENT_FIELDS} enrollment { status } } }`, { input }, token);
const review = (input: Record<string, unknown>, token = acme.token) =>
  q(`mutation($input: ReviewContentInput!) { reviewContent(input: $input) { ${CONTENT_FIELDS} } }`, { input }, token);
const live = (id: string, videoId: string, token = acme.token, url = `https://www.tiktok.com/@c/video/${videoId}`) =>
  q(`mutation($id: ID!, $v: String!, $u: URL!) { markContentLive(id: $id, videoId: $v, url: $u) { ${CONTENT_FIELDS} enrollment { status } } }`, { id, v: videoId, u: url }, token);
const remove = (id: string, token = acme.token) => q(`mutation($id: ID!) { removeContent(id: $id) { ${CONTENT_FIELDS} } }`, { id }, token);

async function submitted(s: Setup, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await submit({ enrollmentId: s.enrollmentId, productId: s.productId, caption: 'Glow up #ad', url: 'https://shop.example.com/serum', ...extra });
  expect(res.errors).toBeUndefined();
  return res.data.submitContent;
}

/** Sets the workflow's clock (reset after each test). */
const at = (iso: string) => {
  setClock(iso);
};

const videoId = () => `73${String(next()).padStart(17, '0')}`;

describe('content state machine', () => {
  type State = 'PLANNED' | 'SUBMITTED' | 'CHANGES_REQUESTED' | 'APPROVED' | 'LIVE' | 'REMOVED';
  type Op = 'SUBMITTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'LIVE' | 'REMOVED';

  /** A fresh piece of content in `state`. */
  async function contentIn(state: State): Promise<{ s: Setup; id: string }> {
    const s = await setup(acme);
    if (state === 'PLANNED') return { s, id: await planned(s) };
    const { id } = await submitted(s);
    if (state === 'CHANGES_REQUESTED' || state === 'APPROVED' || state === 'LIVE') {
      expect((await review({ contentId: id, decision: state === 'CHANGES_REQUESTED' ? 'CHANGES_REQUESTED' : 'APPROVED' })).errors).toBeUndefined();
    }
    if (state === 'LIVE') expect((await live(id, videoId())).errors).toBeUndefined();
    if (state === 'REMOVED') expect((await remove(id)).errors).toBeUndefined();
    return { s, id };
  }

  function apply(op: Op, s: Setup, id: string) {
    switch (op) {
      case 'SUBMITTED':
        return submit({ enrollmentId: s.enrollmentId, contentId: id, caption: 'Take two #ad' });
      case 'APPROVED':
      case 'CHANGES_REQUESTED':
        return review({ contentId: id, decision: op as string, notes: 'n' });
      case 'LIVE':
        return live(id, videoId());
      case 'REMOVED':
        return remove(id);
    }
  }

  const states: State[] = ['PLANNED', 'SUBMITTED', 'CHANGES_REQUESTED', 'APPROVED', 'LIVE', 'REMOVED'];
  const ops: Op[] = ['SUBMITTED', 'APPROVED', 'CHANGES_REQUESTED', 'LIVE', 'REMOVED'];
  const table = states.flatMap((state) => ops.map((op) => [state, op, CONTENT_MOVES[state].includes(op as never)] as const));

  it.each(table)('from %s, moving to %s is allowed: %s', async (state, op, allowed) => {
    const { s, id } = await contentIn(state);
    const res = await apply(op, s, id);
    if (allowed) {
      expect(res.errors).toBeUndefined();
      const result = Object.values(res.data as object)[0] as any;
      expect(result).toMatchObject({ id, status: op });
    } else {
      expect(codes(res)).toEqual(['INVALID_TRANSITION']);
      expect(res.errors?.[0].extensions).toMatchObject({ from: state, to: op, allowed: [...CONTENT_MOVES[state as keyof typeof CONTENT_MOVES]] });
      expect(res.errors?.[0].message).toContain(`allowed from ${state}`);
    }
  });

  it('planned content is submitted as revision 1; an invited enrollment cannot plan', async () => {
    const invited = await setup(acme, { accept: false });
    const refused = await q(`mutation($e: ID!) { planContent(input: { enrollmentId: $e }) { id } }`, { e: invited.enrollmentId }, acme.token);
    expect(codes(refused)).toEqual(['INVALID_TRANSITION']);
    const s = await setup(acme);
    const id = await planned(s);
    const res = await submit({ enrollmentId: s.enrollmentId, contentId: id, caption: 'first #ad' });
    expect(res.data?.submitContent).toMatchObject({ id, status: 'SUBMITTED', revision: 1, dueAt: '2026-12-20T18:00:00.000Z' });
    const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on Content { format product { sku } } } }`, { id }, acme.token);
    expect(node).toEqual({ format: 'LIVE', product: { sku: 'SERUM' } }); // kept from the plan
  });
});

describe('submitContent and the enrollment', () => {
  it.each<[string[], string, string | null]>([
    // [moves after the invitation, enrollment status afterwards, or null when refused]
    [['ACCEPTED'], 'CONTENT_IN_REVIEW', null],
    [['ACCEPTED', 'SAMPLE_SHIPPED'], 'CONTENT_IN_REVIEW', null],
    [['ACCEPTED', 'SAMPLE_SHIPPED', 'SAMPLE_DELIVERED'], 'CONTENT_IN_REVIEW', null],
    [['ACCEPTED', 'CONTENT_IN_REVIEW'], 'CONTENT_IN_REVIEW', null],
    [[], 'INVITED', 'ACCEPTED,DECLINED,REMOVED'],
    [['DECLINED'], 'DECLINED', ''],
    [['ACCEPTED', 'REMOVED'], 'REMOVED', ''],
  ])('after %j the enrollment ends %s (refused, allowed: %s)', async (moves, after, refusedAllowed) => {
    const s = await setup(acme, { accept: false });
    for (const m of moves) await moveEnrollment(s.enrollmentId, m, acme.token);
    const res = await submit({ enrollmentId: s.enrollmentId, caption: 'hi #ad' });
    if (refusedAllowed === null) {
      expect(res.errors).toBeUndefined();
      expect(res.data.submitContent).toMatchObject({ status: 'SUBMITTED', revision: 1, enrollment: { status: after } });
    } else {
      expect(codes(res)).toEqual(['INVALID_TRANSITION']);
      expect(res.errors?.[0].extensions?.allowed).toEqual(refusedAllowed ? refusedAllowed.split(',') : []);
      const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on CampaignEnrollment { status } } }`, { id: s.enrollmentId }, acme.token);
      expect(node.status).toBe(after);
    }
  });

  it('takes more content once POSTED, and the enrollment stays POSTED', async () => {
    const s = await setup(acme);
    const first = await submitted(s);
    await review({ contentId: first.id, decision: 'APPROVED' });
    expect((await live(first.id, videoId())).data.markContentLive.enrollment.status).toBe('POSTED');
    const second = await submit({ enrollmentId: s.enrollmentId, format: 'LIVE', caption: 'going live #ad' });
    expect(second.data.submitContent).toMatchObject({ status: 'SUBMITTED', enrollment: { status: 'POSTED' } });
  });

  it('reports every bad field at once', async () => {
    const s = await setup(acme);
    const res = await submit({ enrollmentId: s.campaignId, contentId: 'nope', productId: s.creatorId });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {}).sort()).toEqual(['input.contentId', 'input.enrollmentId', 'input.productId']);
  });

  it("refuses a product of another shop and content of another enrollment", async () => {
    const s = await setup(acme);
    const s2 = await setup(acme);
    const res = await submit({ enrollmentId: s.enrollmentId, productId: s2.productId });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['input.productId']);
    const theirs = await submitted(s2);
    await review({ contentId: theirs.id, decision: 'CHANGES_REQUESTED' });
    const wrong = await submit({ enrollmentId: s.enrollmentId, contentId: theirs.id });
    expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(wrong.errors?.[0].extensions?.fields ?? {})).toEqual(['input.contentId']);
  });
});

describe('reviews, revisions and history', () => {
  it('keeps the id, bumps the revision and keeps every review, oldest first', async () => {
    const s = await setup(acme);
    const first = await submitted(s);
    expect(first.revision).toBe(1);
    const r1 = await review({ contentId: first.id, decision: 'CHANGES_REQUESTED', notes: 'Show the label', internalNotes: 'Brand is picky' });
    expect(r1.data.reviewContent).toMatchObject({ status: 'CHANGES_REQUESTED', revision: 1 });
    const again = await submit({ enrollmentId: s.enrollmentId, contentId: first.id, caption: 'Label shown #ad' });
    expect(again.data.submitContent).toMatchObject({ id: first.id, status: 'SUBMITTED', revision: 2, caption: 'Label shown #ad', url: 'https://shop.example.com/serum' });
    await review({ contentId: first.id, decision: 'APPROVED', notes: 'Great' });
    const vid = videoId();
    const posted = await live(first.id, vid);
    expect(posted.data.markContentLive).toMatchObject({ status: 'LIVE', videoId: vid, enrollment: { status: 'POSTED' } });
    expect(posted.data.markContentLive.postedAt).toBeTruthy();

    const { node } = await ok(
      `query($id: ID!) { node(id: $id) { ... on Content { revision reviews { decision revision notes internalNotes reviewer { id } createdAt }
         enrollment { history { fromStatus toStatus operation by { id } createdAt } } } } }`,
      { id: first.id },
      acme.token,
    );
    expect(node.revision).toBe(2);
    expect(node.reviews).toEqual([
      expect.objectContaining({ decision: 'CHANGES_REQUESTED', revision: 1, notes: 'Show the label', internalNotes: 'Brand is picky' }),
      expect.objectContaining({ decision: 'APPROVED', revision: 2, notes: 'Great', internalNotes: null }),
    ]);
    const adminId = Buffer.from(`Member:${acme.memberId}`).toString('base64url');
    expect(node.reviews[0].reviewer).toEqual({ id: adminId });
    expect(node.enrollment.history.map((h: any) => [h.fromStatus, h.toStatus, h.operation])).toEqual([
      [null, 'INVITED', 'enrollCreators'],
      ['INVITED', 'ACCEPTED', 'setEnrollmentStatus'],
      ['ACCEPTED', 'CONTENT_IN_REVIEW', 'submitContent'],
      ['CONTENT_IN_REVIEW', 'POSTED', 'markContentLive'],
    ]);
    expect(node.enrollment.history.every((h: any) => h.by?.id === adminId)).toBe(true);
  });

  it('refuses a decision other than APPROVED or CHANGES_REQUESTED (BAD_USER_INPUT), with the other bad fields', async () => {
    const s = await setup(acme);
    const c = await submitted(s);
    const res = await review({ contentId: c.id, decision: 'LIVE' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['input.decision']);
    const both = await review({ contentId: s.campaignId, decision: 'REMOVED' });
    expect(Object.keys(both.errors?.[0].extensions?.fields ?? {}).sort()).toEqual(['input.contentId', 'input.decision']);
  });

  it('records the QA checks with each review; failures show but do not block', async () => {
    const s = await setup(acme);
    const c = await submitted(s, { productId: s.otherProductId, caption: 'Only $9.99 today! #glow', url: 'ftp://files.example.com/cut.mp4' });
    const res = await review({ contentId: c.id, decision: 'APPROVED' });
    expect(res.errors).toBeUndefined();
    const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on Content { reviews { checks { kind passed detail } } } } }`, { id: c.id }, acme.token);
    const checks = Object.fromEntries(node.reviews[0].checks.map((ch: any) => [ch.kind, ch]));
    expect(checks.DISCLOSURE).toMatchObject({ passed: false, detail: 'caption lacks the disclosure #ad' });
    expect(checks.URL_WELL_FORMED.passed).toBe(false);
    expect(checks.PRODUCT_IN_CAMPAIGN.passed).toBe(false);
    expect(checks.PRICE_MATCHES_CATALOG).toMatchObject({ passed: false });
    expect(checks.PRICE_MATCHES_CATALOG.detail).toContain('10.00');
  });
});

describe('markContentLive', () => {
  it('keeps a video id unique per shop (CONFLICT), but another shop may use it', async () => {
    const s = await setup(acme);
    const a = await submitted(s);
    const b = await submitted(s);
    await review({ contentId: a.id, decision: 'APPROVED' });
    await review({ contentId: b.id, decision: 'APPROVED' });
    const vid = videoId();
    expect((await live(a.id, vid)).errors).toBeUndefined();
    const res = await live(b.id, vid);
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(res.errors?.[0].message).toContain(a.id);
    const s2 = await setup(acme);
    const c = await submitted(s2);
    await review({ contentId: c.id, decision: 'APPROVED' });
    expect((await live(c.id, vid)).errors).toBeUndefined();
  });

  it('raises CONTENT_LIVE in its transaction', async () => {
    const seen: ContentEvent[] = [];
    const off = onContentEvent((_em, e) => {
      seen.push(e);
    });
    try {
      const s = await setup(acme);
      const c = await submitted(s);
      await review({ contentId: c.id, decision: 'APPROVED' });
      await live(c.id, videoId());
      expect(seen).toEqual([expect.objectContaining({ kind: 'CONTENT_LIVE', agencyId: acme.agencyId })]);
    } finally {
      off();
    }
  });

  it('refuses a blank video id', async () => {
    const s = await setup(acme);
    const c = await submitted(s);
    await review({ contentId: c.id, decision: 'APPROVED' });
    const res = await live(c.id, '  ');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['videoId']);
  });
});

describe('lists and stats', () => {
  it('lists content under Query.content, campaigns and creators, filtered by status', async () => {
    const s = await setup(acme);
    const a = await submitted(s);
    const b = await submitted(s);
    await review({ contentId: b.id, decision: 'APPROVED' });
    const data = await ok(
      `query($c: ID!, $cr: ID!) {
        content(first: 100, filter: { campaignId: $c }) { totalCount edges { node { id } } }
        approved: content(filter: { campaignId: $c, status: [APPROVED] }) { totalCount edges { node { id } } }
        byCreator: content(filter: { creatorId: $cr }) { totalCount }
        campaign(id: $c) { content(first: 10) { totalCount edges { node { id campaign { id } creator { id } product { sku } } } }
                          submitted: content(first: 10, filter: { status: [SUBMITTED] }) { edges { node { id } } } }
        creator(id: $cr) { content(first: 10) { totalCount } }
      }`,
      { c: s.campaignId, cr: s.creatorId },
      acme.token,
    );
    expect(data.content.edges.map((e: any) => e.node.id)).toEqual([a.id, b.id]);
    expect(data.approved.edges.map((e: any) => e.node.id)).toEqual([b.id]);
    expect(data.byCreator.totalCount).toBe(2);
    expect(data.campaign.content.totalCount).toBe(2);
    expect(data.campaign.content.edges[0].node).toMatchObject({ campaign: { id: s.campaignId }, creator: { id: s.creatorId }, product: { sku: 'SERUM' } });
    expect(data.campaign.submitted.edges.map((e: any) => e.node.id)).toEqual([a.id]);
    expect(data.creator.content.totalCount).toBe(2);
  });

  it("sums the video's rollups into stats (zeros before; other shops' rows ignored)", async () => {
    const s = await setup(acme);
    const s2 = await setup(acme);
    const c = await submitted(s);
    const stats = `query($id: ID!) { node(id: $id) { ... on Content { stats { views likes comments shares clicks orders gmv { amountMinor currency } } } } }`;
    expect((await ok(stats, { id: c.id }, acme.token)).node.stats).toEqual({
      views: 0, likes: 0, comments: 0, shares: 0, clicks: 0, orders: 0, gmv: { amountMinor: 0, currency: 'USD' },
    });
    await review({ contentId: c.id, decision: 'APPROVED' });
    const vid = videoId();
    await live(c.id, vid);
    const uuid = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];
    const insert = (shopId: string, day: string, views: number, orders: number, gmv: number) =>
      t.server.db.query(
        `INSERT INTO metric_rollups (agency_id, shop_id, dimension, subject_id, day, currency, views, likes, comments, shares, clicks, orders, gmv_minor)
         VALUES ($1, $2, 'V', $3, $4, 'USD', $5, 1, 2, 3, 4, $6, $7)`,
        [acme.agencyId, uuid(shopId), vid, day, views, orders, gmv],
      );
    await insert(s.shopId, '2026-12-01', 1000, 2, 5800);
    await insert(s.shopId, '2026-12-02', 500, 1, 2900);
    await insert(s2.shopId, '2026-12-02', 99999, 99, 999999); // same video id, another shop
    expect((await ok(stats, { id: c.id }, acme.token)).node.stats).toEqual({
      views: 1500, likes: 2, comments: 4, shares: 6, clicks: 8, orders: 3, gmv: { amountMinor: 8700, currency: 'USD' },
    });
  });
});

describe("another agency's ids", () => {
  it('are NOT_FOUND or null on every content field and mutation', async () => {
    const theirs = await setup(other);
    const theirContent = (await submit({ enrollmentId: theirs.enrollmentId, caption: 'x #ad' }, other.token)).data.submitContent;
    const mine = await setup(acme);
    const mineContent = await submitted(mine);

    expect(codes(await review({ contentId: theirContent.id, decision: 'APPROVED' }))).toEqual(['NOT_FOUND']);
    expect(codes(await live(theirContent.id, videoId()))).toEqual(['NOT_FOUND']);
    expect(codes(await remove(theirContent.id))).toEqual(['NOT_FOUND']);
    expect(codes(await submit({ enrollmentId: theirs.enrollmentId }))).toEqual(['NOT_FOUND']);
    const theirProduct = await submit({ enrollmentId: mine.enrollmentId, productId: theirs.productId });
    expect(codes(theirProduct)).toEqual(['NOT_FOUND']);
    expect(Object.keys(theirProduct.errors?.[0].extensions?.fields ?? {})).toEqual(['input.productId']);
    const theirId = await submit({ enrollmentId: mine.enrollmentId, contentId: theirContent.id });
    expect(codes(theirId)).toEqual(['NOT_FOUND']);

    const data = await ok(
      `query($id: ID!, $c: ID!, $cr: ID!) {
        node(id: $id) { id }
        content(first: 100) { edges { node { id } } }
        byCampaign: content(filter: { campaignId: $c }) { totalCount }
        byCreator: content(filter: { creatorId: $cr }) { totalCount }
        campaign(id: $c) { id }
      }`,
      { id: theirContent.id, c: theirs.campaignId, cr: theirs.creatorId },
      acme.token,
    );
    expect(data.node).toBeNull();
    expect(data.content.edges.map((e: any) => e.node.id)).toEqual(expect.arrayContaining([mineContent.id]));
    expect(data.content.edges.map((e: any) => e.node.id)).not.toContain(theirContent.id);
    expect(data.byCampaign.totalCount).toBe(0);
    expect(data.byCreator.totalCount).toBe(0);
    expect(data.campaign).toBeNull();
    // Still theirs, unchanged.
    const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on Content { status reviews { decision } } } }`, { id: theirContent.id }, other.token);
    expect(node).toEqual({ status: 'SUBMITTED', reviews: [] });
    expect(codes(await review({ contentId: missingId('Content'), decision: 'APPROVED' }))).toEqual(['NOT_FOUND']);
  });
});

describe('client viewers', () => {
  async function viewerOf(clientId: string): Promise<string> {
    const email = `viewer-${next()}@example.com`;
    await ok(
      `mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }`,
      { input: { email, name: 'Viewer', role: 'CLIENT_VIEWER', clientId, password: 'viewer-password-1' } },
      acme.token,
    );
    const { login } = await ok(`mutation($e: EmailAddress!) { login(email: $e, password: "viewer-password-1") { token } }`, { e: email }, acme.token);
    return login.token;
  }

  it("read their client's content and reviews, never internal notes, and cannot review", async () => {
    const s = await setup(acme);
    const elsewhere = await setup(acme);
    const c = await submitted(s);
    const hidden = await submitted(elsewhere);
    await review({ contentId: c.id, decision: 'CHANGES_REQUESTED', notes: 'Show the label', internalNotes: 'Margin is thin' });
    const token = await viewerOf(s.clientId);

    const data = await ok(
      `query($c: ID!, $h: ID!) {
        content(first: 100) { edges { node { id } } }
        campaign(id: $c) { content { edges { node { id reviews { decision notes internalNotes } enrollment { history { toStatus } } } } } }
        hidden: node(id: $h) { id }
      }`,
      { c: s.campaignId, h: hidden.id },
      token,
    );
    expect(data.content.edges.map((e: any) => e.node.id)).toEqual([c.id]);
    expect(data.campaign.content.edges[0].node.reviews).toEqual([{ decision: 'CHANGES_REQUESTED', notes: 'Show the label', internalNotes: null }]);
    expect(data.campaign.content.edges[0].node.enrollment.history.map((h: any) => h.toStatus)).toEqual(['INVITED', 'ACCEPTED', 'CONTENT_IN_REVIEW']);
    expect(data.hidden).toBeNull();
    expect(codes(await review({ contentId: c.id, decision: 'APPROVED' }, token))).toEqual(['FORBIDDEN']);
    expect(codes(await submit({ enrollmentId: s.enrollmentId }, token))).toEqual(['FORBIDDEN']);
    expect(codes(await live(c.id, videoId(), token))).toEqual(['FORBIDDEN']);
    expect(codes(await remove(c.id, token))).toEqual(['FORBIDDEN']);

    // The agency's own material about creators stays with the agency; samples and briefs are the brand's too.
    await ok(`mutation($id: ID!) { setCreatorTags(creatorId: $id, tags: ["vip"]) { id } }`, { id: s.creatorId }, acme.token);
    await ok(`mutation($id: ID!) { addCreatorNote(creatorId: $id, body: "Asks for a higher rate") { body } }`, { id: s.creatorId }, acme.token);
    await ok(`mutation($c: ID!) { publishCampaignBrief(campaignId: $c, input: { keyMessages: ["Glow"] }) { version } }`, { c: s.campaignId }, acme.token);
    await ok(
      `mutation($e: ID!, $p: ID!) { shipSample(input: { enrollmentId: $e, productId: $p, trackingNumber: "1Z" }) { id } }`,
      { e: s.enrollmentId, p: s.productId },
      acme.token,
    );
    const seen = await ok(
      `query($cr: ID!, $c: ID!) { creator(id: $cr) { tags notes { body } outreach { totalCount } }
         campaign(id: $c) { brief { version } enrollments { edges { node { samples { cost { amountMinor } } brief { version } } } } }
         outreachTemplates { totalCount } }`,
      { cr: s.creatorId, c: s.campaignId },
      token,
    );
    expect(seen.creator).toEqual({ tags: [], notes: [], outreach: { totalCount: 0 } });
    expect(seen.campaign.brief.version).toBe(1);
    expect(seen.campaign.enrollments.edges[0].node).toEqual({ samples: [{ cost: { amountMinor: 640 } }], brief: { version: 1 } });
    expect(seen.outreachTemplates.totalCount).toBe(0);
  });
});

describe('SLAs and overdue', () => {
  const overdueQuery = `query($c: ID!) {
    content(filter: { campaignId: $c, overdue: true }) { edges { node { id overdue } } }
    notOverdue: content(filter: { campaignId: $c, overdue: false }) { totalCount }
    campaign(id: $c) { contentOverdue { reviews posts } enrollments(filter: { contentOverdue: true }) { totalCount } }
  }`;

  it('a review is due after the agency SLA (default 48 h, or settings.contentReviewSlaHours)', async () => {
    const s = await setup(acme);
    at('2026-12-01T12:00:00.000Z');
    const c = await submitted(s);
    expect(c.reviewDueAt).toBe('2026-12-03T12:00:00.000Z');
    at('2026-12-03T11:59:00.000Z');
    let data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.content.edges).toEqual([]);
    expect(data.campaign.contentOverdue).toEqual({ reviews: 0, posts: 0 });
    at('2026-12-03T12:01:00.000Z');
    data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.content.edges).toEqual([{ node: { id: c.id, overdue: true } }]);
    expect(data.campaign.contentOverdue).toEqual({ reviews: 1, posts: 0 });
    expect(data.campaign.enrollments.totalCount).toBe(1);
    // Reviewed: no longer late.
    await review({ contentId: c.id, decision: 'APPROVED' });
    data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.content.edges).toEqual([]);
    expect(data.notOverdue.totalCount).toBe(1);

    await t.server.db.query(`UPDATE agencies SET settings = settings || '{"contentReviewSlaHours": 6}' WHERE id = $1`, [acme.agencyId]);
    try {
      at('2026-12-05T00:00:00.000Z');
      expect((await submitted(s)).reviewDueAt).toBe('2026-12-05T06:00:00.000Z');
    } finally {
      await t.server.db.query(`UPDATE agencies SET settings = settings - 'contentReviewSlaHours' WHERE id = $1`, [acme.agencyId]);
    }
  });

  it("posting is due at dueAt, else at the end of the enrollment's contentDueDate in the shop's time zone", async () => {
    // New York is UTC-5 in December: 2026-12-10 ends at 2026-12-11T05:00Z.
    const s = await setup(acme, { contentDueDate: '2026-12-10' });
    at('2026-12-09T00:00:00.000Z');
    const approvedLate = await submitted(s);
    await review({ contentId: approvedLate.id, decision: 'APPROVED' });
    // A dueAt in the past is accepted (backfills) and is overdue at once.
    const backfill = await submitted(s, { dueAt: '2026-12-01T00:00:00.000Z' });
    await review({ contentId: backfill.id, decision: 'APPROVED' });

    at('2026-12-11T04:59:00.000Z');
    let data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.content.edges.map((e: any) => e.node.id)).toEqual([backfill.id]);
    expect(data.campaign.contentOverdue).toEqual({ reviews: 0, posts: 1 });
    at('2026-12-11T05:01:00.000Z');
    data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.content.edges.map((e: any) => e.node.id)).toEqual([approvedLate.id, backfill.id]);
    expect(data.campaign.contentOverdue).toEqual({ reviews: 0, posts: 2 });
    const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on Content { postDueAt overdue } } }`, { id: approvedLate.id }, acme.token);
    expect(node).toEqual({ postDueAt: '2026-12-11T05:00:00.000Z', overdue: true });
    // Live content is never late.
    await live(approvedLate.id, videoId());
    data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.content.edges.map((e: any) => e.node.id)).toEqual([backfill.id]);
  });

  it('an enrollment past its contentDueDate with nothing live is late even without content', async () => {
    const s = await setup(acme, { contentDueDate: '2026-12-10' });
    at('2026-12-12T00:00:00.000Z');
    let data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.campaign.enrollments.totalCount).toBe(1);
    at('2026-12-10T12:00:00.000Z');
    data = await ok(overdueQuery, { c: s.campaignId }, acme.token);
    expect(data.campaign.enrollments.totalCount).toBe(0);
  });

  it('the sweep announces each overdue piece once, even with several nodes sweeping at once', async () => {
    const seen: ContentEvent[] = [];
    const off = onContentEvent((_em, e) => {
      if (e.kind === 'CONTENT_OVERDUE') seen.push(e);
    });
    try {
      const sweeper = await t.createAgency('Sweeper');
      const s = await setup(sweeper);
      at('2030-01-01T00:00:00.000Z');
      const c = (await submit({ enrollmentId: s.enrollmentId, caption: 'x #ad', dueAt: '2030-01-02T00:00:00.000Z' }, sweeper.token)).data.submitContent;
      const later = new Date('2030-01-05T00:00:00.000Z');
      const results = await Promise.all([
        sweepOverdueContentOfAgency(t.server.db, sweeper.agencyId, later),
        sweepOverdueContentOfAgency(t.server.db, sweeper.agencyId, later),
        sweepOverdueContent(t.server.db, later),
      ]);
      const mine = results.flat().filter((e) => e.agencyId === sweeper.agencyId);
      expect(mine.map((e) => e.reason).sort()).toEqual(['POST', 'REVIEW']);
      expect(new Set(mine.map((e) => e.contentId))).toEqual(new Set([Buffer.from(c.id, 'base64url').toString().split(':')[1]]));
      expect(seen.filter((e) => e.agencyId === sweeper.agencyId)).toHaveLength(2);
      // Nothing new: nothing announced again.
      expect(await sweepOverdueContentOfAgency(t.server.db, sweeper.agencyId, later)).toEqual([]);
      // Sent back and resubmitted: the new revision's review may be late again.
      at('2030-01-05T00:00:00.000Z');
      await review({ contentId: c.id, decision: 'CHANGES_REQUESTED' }, sweeper.token);
      await submit({ enrollmentId: s.enrollmentId, contentId: c.id }, sweeper.token);
      const again = await sweepOverdueContentOfAgency(t.server.db, sweeper.agencyId, new Date('2030-01-09T00:00:00.000Z'));
      expect(again.map((e) => e.reason)).toEqual(['REVIEW']);
    } finally {
      off();
    }
  });
});

describe('statement count', () => {
  /** n campaigns, each with n pieces of content, each with two reviews by the admin, inserted directly. */
  async function fill(agency: TestAgency, n: number): Promise<void> {
    const db = t.server.db;
    const [client] = await db.query(`INSERT INTO clients (agency_id, name) VALUES ($1, 'Bulk') RETURNING id`, [agency.agencyId]);
    const [shop] = await db.query(
      `INSERT INTO shops (agency_id, client_id, name, external_id, region, currency, time_zone) VALUES ($1, $2, 'Bulk US', $3, 'US', 'USD', 'America/New_York') RETURNING id`,
      [agency.agencyId, client.id, `bulk-${n}-${next()}`],
    );
    await db.query(
      `INSERT INTO campaigns (agency_id, shop_id, client_id, name, objective, start_date, currency, commission_rate_bps)
       SELECT $1, $2, $3, 'Bulk ' || i, 'SALES', '2026-01-01', 'USD', 1000 FROM generate_series(1, $4) i`,
      [agency.agencyId, shop.id, client.id, n],
    );
    await db.query(
      `INSERT INTO creators (agency_id, handle, follower_count) SELECT $1, 'bulk_' || $2 || '_' || i, 100 * i FROM generate_series(1, $3) i`,
      [agency.agencyId, next(), n],
    );
    await db.query(
      `INSERT INTO campaign_enrollments (agency_id, campaign_id, creator_id, status)
       SELECT $1, c.id, cr.id, 'CONTENT_IN_REVIEW' FROM campaigns c CROSS JOIN creators cr WHERE c.agency_id = $1 AND cr.agency_id = $1`,
      [agency.agencyId],
    );
    await db.query(
      `INSERT INTO content (agency_id, shop_id, campaign_id, enrollment_id, creator_id, status, caption, revision)
       SELECT e.agency_id, $2, e.campaign_id, e.id, e.creator_id, 'APPROVED', 'bulk #ad', 2 FROM campaign_enrollments e WHERE e.agency_id = $1`,
      [agency.agencyId, shop.id],
    );
    await db.query(
      `INSERT INTO content_reviews (agency_id, content_id, revision, decision, reviewer_id)
       SELECT ct.agency_id, ct.id, r, CASE r WHEN 1 THEN 'CHANGES_REQUESTED' ELSE 'APPROVED' END::content_status, $2
         FROM content ct CROSS JOIN generate_series(1, 2) r WHERE ct.agency_id = $1`,
      [agency.agencyId, agency.memberId],
    );
    await db.query(
      `INSERT INTO samples (agency_id, enrollment_id, campaign_id, creator_id, quantity, cost_minor, currency, shipped_at)
       SELECT e.agency_id, e.id, e.campaign_id, e.creator_id, 1, 500, 'USD', now() FROM campaign_enrollments e WHERE e.agency_id = $1`,
      [agency.agencyId],
    );
    await db.query(
      `INSERT INTO campaign_briefs (agency_id, campaign_id, version) SELECT agency_id, id, 1 FROM campaigns WHERE agency_id = $1`,
      [agency.agencyId],
    );
    await db.query(`UPDATE campaign_enrollments SET brief_version = 1 WHERE agency_id = $1`, [agency.agencyId]);
    await db.query(
      `INSERT INTO creator_notes (agency_id, creator_id, body) SELECT agency_id, id, 'note' FROM creators WHERE agency_id = $1`,
      [agency.agencyId],
    );
  }

  const deep = `query($n: Int!) {
    campaigns(first: $n) { edges { node { name contentOverdue { reviews posts }
      content(first: $n) { totalCount edges { node { status revision stats { views gmv { amountMinor } } creator { handle }
        reviews { decision revision checks { kind } reviewer { id email } }
        enrollment { status history { toStatus by { id } } samples { cost { amountMinor } product { sku } } brief { version } }
        creator { tags outreach(first: 5) { totalCount edges { node { replyStatus } } } } } } } } } }
    notes: creators(first: $n) { edges { node { notes { body author { id } } } } }
  }`;

  it('campaign -> content -> reviews -> reviewer runs the same number of statements with 5 and 15 per level', async () => {
    const small = await t.createAgency('Small content agency');
    const large = await t.createAgency('Large content agency');
    await fill(small, 5);
    await fill(large, 15);
    const run = async (agency: TestAgency, n: number) => {
      t.sql.reset();
      const data = await ok(deep, { n }, agency.token);
      const contents = data.campaigns.edges.flatMap((e: any) => e.node.content.edges);
      expect(contents).toHaveLength(n * n);
      expect(contents.every((c: any) => c.node.reviews.length === 2 && c.node.reviews[1].reviewer?.id)).toBe(true);
      expect(contents.every((c: any) => c.node.enrollment.samples.length === 1 && c.node.enrollment.brief.version === 1)).toBe(true);
      expect(data.notes.edges.every((e: any) => e.node.notes.length === 1)).toBe(true);
      return t.sql.count;
    };
    const few = await run(small, 5);
    const many = await run(large, 15);
    expect(many).toBe(few);
    console.log(`campaign -> content -> reviews -> reviewer (+ stats, history, samples, brief, notes, outreach, overdue counts): ${few} statements at 5 per level, ${many} at 15`);
  });
});

describe('briefs', () => {
  const publish = (campaignId: string, input: Record<string, unknown>, token = acme.token) =>
    q(`mutation($c: ID!, $input: PublishBriefInput!) { publishCampaignBrief(campaignId: $c, input: $input) { version disclosure requiredHashtags productLinks keyMessages contentDueDays campaign { id } } }`, { c: campaignId, input }, token);
  const enrollmentBrief = async (id: string) =>
    (await ok(`query($id: ID!) { node(id: $id) { ... on CampaignEnrollment { brief { version } } } }`, { id }, acme.token)).node.brief?.version ?? null;
  async function enrollAnother(s: Setup): Promise<string> {
    const { createCreator } = await ok(`mutation($h: String!) { createCreator(input: { handle: $h, followerCount: 10 }) { id } }`, { h: `late_${next()}` }, acme.token);
    const { enrollCreators } = await ok(`mutation($c: ID!, $cr: ID!) { enrollCreators(campaignId: $c, creators: [{ creatorId: $cr }]) { id } }`, { c: s.campaignId, cr: createCreator.id }, acme.token);
    return enrollCreators[0].id;
  }

  it('are versioned per campaign, and each enrollment sees the version it was given', async () => {
    const s = await setup(acme);
    expect(await enrollmentBrief(s.enrollmentId)).toBeNull();
    const v1 = await publish(s.campaignId, { keyMessages: ['Vitamin C, no sting'], requiredHashtags: ['GlowLab', '#spring'], productLinks: ['https://shop.example.com/serum'], contentDueDays: 14 });
    expect(v1.data.publishCampaignBrief).toMatchObject({ version: 1, disclosure: '#ad', requiredHashtags: ['#glowlab', '#spring'], contentDueDays: 14, campaign: { id: s.campaignId } });
    expect(await enrollmentBrief(s.enrollmentId)).toBe(1); // had none: given the first

    const v2 = await publish(s.campaignId, { keyMessages: ['Now with SPF'], disclosure: '#sponsored' });
    expect(v2.data.publishCampaignBrief.version).toBe(2);
    expect(await enrollmentBrief(s.enrollmentId)).toBe(1); // keeps what it was given
    const later = await enrollAnother(s);
    expect(await enrollmentBrief(later)).toBe(2); // new enrollments get the latest

    await publish(s.campaignId, { keyMessages: ['v3'], giveToOpenEnrollments: true });
    expect(await enrollmentBrief(s.enrollmentId)).toBe(3);
    const { campaign } = await ok(`query($c: ID!) { campaign(id: $c) { brief { version } briefs { version keyMessages } } }`, { c: s.campaignId }, acme.token);
    expect(campaign.brief.version).toBe(3);
    expect(campaign.briefs.map((b: any) => b.version)).toEqual([1, 2, 3]);
  });

  it("drive the QA checks of the enrollment's version", async () => {
    const s = await setup(acme);
    await publish(s.campaignId, { requiredHashtags: ['glowlab', 'spring'], productLinks: ['https://shop.example.com/serum/'], disclosure: '#paidpartner' });
    const good = await submitted(s, { caption: 'Love it #PaidPartner #glowlab #spring $29.00', url: 'https://SHOP.example.com/serum' });
    const bad = await submitted(s, { caption: 'Love it #ad #glowlab', url: 'https://elsewhere.example.com/serum' });
    await review({ contentId: good.id, decision: 'APPROVED' });
    await review({ contentId: bad.id, decision: 'APPROVED' });
    const checksOf = async (id: string) =>
      Object.fromEntries(
        (await ok(`query($id: ID!) { node(id: $id) { ... on Content { reviews { checks { kind passed detail } } } } }`, { id }, acme.token)).node.reviews[0].checks.map(
          (c: any) => [c.kind, c],
        ),
      ) as Record<string, any>;
    const g = await checksOf(good.id);
    expect(Object.values(g).every((c: any) => c.passed)).toBe(true);
    expect(Object.keys(g).sort()).toEqual(['DISCLOSURE', 'HASHTAGS', 'PRICE_MATCHES_CATALOG', 'PRODUCT_IN_CAMPAIGN', 'URL_MATCHES_BRIEF', 'URL_WELL_FORMED']);
    const b = await checksOf(bad.id);
    expect(b.DISCLOSURE).toMatchObject({ passed: false, detail: 'caption lacks the disclosure #paidpartner' });
    expect(b.HASHTAGS).toMatchObject({ passed: false, detail: 'caption lacks #spring' });
    expect(b.URL_MATCHES_BRIEF.passed).toBe(false);
    expect(b.URL_WELL_FORMED.passed).toBe(true);
  });

  it("refuse another agency's campaign", async () => {
    const theirs = await setup(other);
    const res = await publish(theirs.campaignId, { keyMessages: ['x'] });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['campaignId']);
  });
});

describe('samples', () => {
  const ship = (input: Record<string, unknown>, token = acme.token) =>
    q(`mutation($input: ShipSampleInput!) { shipSample(input: $input) { id quantity cost { amountMinor currency } carrier trackingNumber shippedAt deliveredAt
        enrollment { status sampleTrackingNumber contentDueDate } product { sku } } }`, { input }, token);
  const deliver = (id: string, deliveredAt?: string, token = acme.token) =>
    q(`mutation($id: ID!, $at: DateTime) { markSampleDelivered(id: $id, deliveredAt: $at) { id deliveredAt enrollment { status contentDueDate } } }`, { id, at: deliveredAt ?? null }, token);

  it('cost defaults to unit cost × quantity; shipping and delivery move the enrollment; the brief rule sets the due date', async () => {
    const s = await setup(acme);
    await ok(`mutation($c: ID!) { publishCampaignBrief(campaignId: $c, input: { contentDueDays: 10 }) { version } }`, { c: s.campaignId }, acme.token);
    const res = await ship({ enrollmentId: s.enrollmentId, productId: s.productId, quantity: 3, carrier: 'UPS', trackingNumber: ' 1Z999 ' });
    expect(res.errors).toBeUndefined();
    expect(res.data.shipSample).toMatchObject({
      quantity: 3, cost: { amountMinor: 1920, currency: 'USD' }, carrier: 'UPS', trackingNumber: '1Z999',
      enrollment: { status: 'SAMPLE_SHIPPED', sampleTrackingNumber: '1Z999' }, product: { sku: 'SERUM' },
    });
    // A second sample with a given cost leaves the enrollment where it is.
    const second = await ship({ enrollmentId: s.enrollmentId, productId: s.otherProductId, cost: { amountMinor: 0, currency: 'USD' }, trackingNumber: '1Z998' });
    expect(second.data.shipSample).toMatchObject({ quantity: 1, cost: { amountMinor: 0 }, enrollment: { status: 'SAMPLE_SHIPPED' } });
    // Delivered at 03:00Z on Dec 5 = Dec 4 in New York; due 10 days later.
    const delivered = await deliver(res.data.shipSample.id, '2026-12-05T03:00:00.000Z');
    expect(delivered.data.markSampleDelivered).toMatchObject({ deliveredAt: '2026-12-05T03:00:00.000Z', enrollment: { status: 'SAMPLE_DELIVERED', contentDueDate: '2026-12-14' } });
    expect(codes(await deliver(res.data.shipSample.id))).toEqual(['CONFLICT']);
    const { node } = await ok(`query($id: ID!) { node(id: $id) { ... on CampaignEnrollment { samples { quantity } history { toStatus operation } } } }`, { id: s.enrollmentId }, acme.token);
    expect(node.samples.map((x: any) => x.quantity)).toEqual([3, 1]);
    expect(node.history.slice(-2)).toEqual([{ toStatus: 'SAMPLE_SHIPPED', operation: 'shipSample' }, { toStatus: 'SAMPLE_DELIVERED', operation: 'markSampleDelivered' }]);
  });

  it('refuses bad input at once, an invited enrollment, and other currencies', async () => {
    const s = await setup(acme, { accept: false });
    const bad = await ship({ enrollmentId: s.campaignId, productId: 'x', quantity: 0, trackingNumber: '  ' });
    expect(Object.keys(bad.errors?.[0].extensions?.fields ?? {}).sort()).toEqual(['input.enrollmentId', 'input.productId', 'input.quantity', 'input.trackingNumber']);
    const invited = await ship({ enrollmentId: s.enrollmentId, productId: s.productId, trackingNumber: '1Z' });
    expect(codes(invited)).toEqual(['INVALID_TRANSITION']);
    expect(invited.errors?.[0].extensions?.allowed).toEqual(['ACCEPTED', 'DECLINED', 'REMOVED']);
    await moveEnrollment(s.enrollmentId, 'ACCEPTED', acme.token);
    const eur = await ship({ enrollmentId: s.enrollmentId, productId: s.otherProductId, cost: { amountMinor: 5, currency: 'EUR' }, trackingNumber: '1Z' });
    expect(Object.keys(eur.errors?.[0].extensions?.fields ?? {})).toEqual(['input.cost.currency']);
    const noCost = await ship({ enrollmentId: s.enrollmentId, productId: s.otherProductId, trackingNumber: '1Z' });
    expect(Object.keys(noCost.errors?.[0].extensions?.fields ?? {})).toEqual(['input.cost']);
  });

  it('lists samples shipped long ago with no content, and sample ROI per creator and campaign', async () => {
    const roiAgency = await t.createAgency('ROI agency');
    const s = await setup(roiAgency);
    const s2 = await setup(roiAgency);
    at('2026-12-01T00:00:00.000Z');
    const a = (await ship({ enrollmentId: s.enrollmentId, productId: s.productId, quantity: 2, trackingNumber: '1Z' }, roiAgency.token)).data.shipSample;
    at('2026-12-09T00:00:00.000Z');
    const b = (await ship({ enrollmentId: s2.enrollmentId, productId: s2.productId, trackingNumber: '1Z' }, roiAgency.token)).data.shipSample;
    at('2026-12-10T00:00:00.000Z');
    const awaiting = async (days: number) =>
      (await ok(`query($d: Int!) { samplesAwaitingContent(shippedDaysAgo: $d) { totalCount edges { node { id } } } }`, { d: days }, roiAgency.token)).samplesAwaitingContent.edges.map(
        (e: any) => e.node.id,
      );
    expect(await awaiting(7)).toEqual([a.id]);
    expect(await awaiting(0)).toEqual([a.id, b.id]);
    await submit({ enrollmentId: s.enrollmentId, caption: 'here #ad' }, roiAgency.token);
    expect(await awaiting(0)).toEqual([b.id]);

    const uuid = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];
    await t.server.db.query(
      `INSERT INTO metric_rollups (agency_id, shop_id, dimension, subject_id, day, currency, gmv_minor) VALUES
        ($1, $2, 'R', $3, '2026-12-02', 'USD', 10000), ($1, $2, 'R', $3, '2026-12-03', 'USD', 2800), ($1, $2, 'C', $4, '2026-12-02', 'USD', 12800)`,
      [roiAgency.agencyId, uuid(s.shopId), uuid(s.creatorId), uuid(s.campaignId)],
    );
    const roi = async (groupBy: string, shopId: string) =>
      (await ok(`query($s: ID!, $g: SampleRoiGrouping!) { sampleRoi(shopId: $s, groupBy: $g) { units sampleCost { amountMinor } attributedGmv { amountMinor currency } gmvPerSampleCost creator { id } campaign { id } } }`,
        { s: shopId, g: groupBy }, roiAgency.token)).sampleRoi;
    expect(await roi('CREATOR', s.shopId)).toEqual([
      { units: 2, sampleCost: { amountMinor: 1280 }, attributedGmv: { amountMinor: 12800, currency: 'USD' }, gmvPerSampleCost: 10, creator: { id: s.creatorId }, campaign: null },
    ]);
    expect(await roi('CAMPAIGN', s.shopId)).toEqual([
      { units: 2, sampleCost: { amountMinor: 1280 }, attributedGmv: { amountMinor: 12800, currency: 'USD' }, gmvPerSampleCost: 10, creator: null, campaign: { id: s.campaignId } },
    ]);
    expect((await roi('CREATOR', s2.shopId))[0].attributedGmv.amountMinor).toBe(0);
    // Another agency sees none of it.
    expect(codes(await q(`query($s: ID!) { sampleRoi(shopId: $s, groupBy: CREATOR) { units } }`, { s: s.shopId }, acme.token))).toEqual(['NOT_FOUND']);
    expect((await ok(`{ samplesAwaitingContent(shippedDaysAgo: 0) { edges { node { id } } } }`, {}, acme.token)).samplesAwaitingContent.edges.map((e: any) => e.node.id)).not.toContain(b.id);
    expect(codes(await deliver(b.id))).toEqual(['NOT_FOUND']);
    expect(codes(await ship({ enrollmentId: s.enrollmentId, productId: s.productId, trackingNumber: '1Z' }))).toEqual(['NOT_FOUND']);
  });
});

describe('outreach, notes, tags and creator search', () => {
  const save = (input: Record<string, unknown>, id?: string, token = acme.token) =>
    q(`mutation($id: ID, $input: OutreachTemplateInput!) { saveOutreachTemplate(id: $id, input: $input) { id name channel subject body } }`, { id: id ?? null, input }, token);
  const invite = (campaignId: string, creatorIds: string[], templateId: string, token = acme.token) =>
    q(
      `mutation($c: ID!, $ids: [ID!]!, $t: ID!) { inviteCreators(campaignId: $c, creatorIds: $ids, templateId: $t) {
        invited { id status creator { id } } alreadyEnrolled { id status } messages { id channel subject message replyStatus creator { handle } template { id } } } }`,
      { c: campaignId, ids: creatorIds, t: templateId },
      token,
    );
  async function creator(handle: string, extra: Record<string, unknown> = {}, token = acme.token): Promise<string> {
    return (await ok(`mutation($input: CreateCreatorInput!) { createCreator(input: $input) { id } }`, { input: { handle, followerCount: 1000, ...extra } }, token)).createCreator.id;
  }

  it('refuses unknown variables when a template is saved, naming them', async () => {
    const res = await save({ name: 'Bad', channel: 'EMAIL', subject: 'Hi {{creator.name}}', body: 'Rate {{commissionRate}} for {{ campaign.title }} and {{brand}}' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const fields = res.errors?.[0].extensions?.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['input.body', 'input.subject']);
    expect(fields['input.body'][0]).toContain('{{campaign.title}}, {{brand}}');
    const unclosed = await save({ name: 'Bad', channel: 'EMAIL', body: 'Hello {{creator.handle' });
    expect(Object.keys(unclosed.errors?.[0].extensions?.fields ?? {})).toEqual(['input.body']);
  });

  it('invites up to 500 at once, renders one message per new creator, reports the already enrolled, and records replies', async () => {
    const s = await setup(acme);
    await ok(`mutation($id: ID!) { updateEnrollment(id: $id, input: { commissionRateBps: 1800 }) { id } }`, { id: s.enrollmentId }, acme.token);
    const tpl = (await save({ name: 'Launch DM', channel: 'TIKTOK_DM', subject: '{{campaign.name}}', body: 'Hi {{creator.displayName}} ({{creator.handle}}): {{product.title}} at {{commissionRate}}, due {{contentDueDate}}.' })).data
      .saveOutreachTemplate;
    const a = await creator(`inv_a_${next()}`, { displayName: 'Ann' });
    const b = await creator(`inv_b_${next()}`);
    const res = await invite(s.campaignId, [a, s.creatorId, b], tpl.id);
    expect(res.errors).toBeUndefined();
    const result = res.data.inviteCreators;
    expect(result.invited.map((e: any) => e.creator.id)).toEqual([a, b]);
    expect(result.invited.every((e: any) => e.status === 'INVITED')).toBe(true);
    expect(result.alreadyEnrolled).toEqual([{ id: s.enrollmentId, status: 'ACCEPTED' }]);
    expect(result.messages).toHaveLength(2);
    expect(result.messages[0]).toMatchObject({ channel: 'TIKTOK_DM', subject: 'Launch', replyStatus: 'NO_REPLY', template: { id: tpl.id } });
    expect(result.messages[0].message).toMatch(/^Hi Ann \(@inv_a_\d+\): Serum at 12%, due \.$/);

    const reply = await q(
      `mutation($id: ID!) { recordOutreachReply(id: $id, input: { status: INTERESTED, note: "Loves serums" }) { replyStatus replyNote repliedAt } }`,
      { id: result.messages[0].id },
      acme.token,
    );
    expect(reply.data.recordOutreachReply).toMatchObject({ replyStatus: 'INTERESTED', replyNote: 'Loves serums' });
    const { creator: history } = await ok(`query($id: ID!) { creator(id: $id) { outreach { totalCount edges { node { replyStatus campaign { id } } } } } }`, { id: a }, acme.token);
    expect(history.outreach).toEqual({ totalCount: 1, edges: [{ node: { replyStatus: 'INTERESTED', campaign: { id: s.campaignId } } }] });

    // Again: everyone is already enrolled, nothing is sent.
    const again = (await invite(s.campaignId, [a, b], tpl.id)).data.inviteCreators;
    expect(again).toMatchObject({ invited: [], messages: [] });
    expect(again.alreadyEnrolled).toHaveLength(2);
  });

  it('fails the whole batch on bad, duplicate, unknown or foreign ids, and on more than 500', async () => {
    const s = await setup(acme);
    const tpl = (await save({ name: 'T', channel: 'EMAIL', body: 'Hi' })).data.saveOutreachTemplate;
    const a = await creator(`bad_a_${next()}`);
    const foreign = await creator(`foreign_${next()}`, {}, other.token);
    const bad = await invite(s.campaignId, [a, 'nope', a, s.campaignId], tpl.id);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(bad.errors?.[0].extensions?.fields ?? {}).sort()).toEqual(['creatorIds.1', 'creatorIds.2', 'creatorIds.3']);
    const unknown = await invite(s.campaignId, [a, foreign, missingId('Creator')], tpl.id);
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(Object.keys(unknown.errors?.[0].extensions?.fields ?? {}).sort()).toEqual(['creatorIds.1', 'creatorIds.2']);
    const { campaign } = await ok(`query($c: ID!) { campaign(id: $c) { enrollments { totalCount } } }`, { c: s.campaignId }, acme.token);
    expect(campaign.enrollments.totalCount).toBe(1); // nothing written
    const tooMany = await invite(s.campaignId, Array.from({ length: 501 }, () => missingId('Creator')), tpl.id);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    const theirTemplate = (await save({ name: 'Theirs', channel: 'EMAIL', body: 'x' }, undefined, other.token)).data.saveOutreachTemplate;
    expect(codes(await invite(s.campaignId, [a], theirTemplate.id))).toEqual(['NOT_FOUND']);
    expect(codes(await save({ name: 'Steal', channel: 'EMAIL', body: 'x' }, theirTemplate.id))).toEqual(['NOT_FOUND']);
    // Their campaign, their messages: as if they did not exist.
    const theirs = await setup(other);
    const theirCreator = await creator(`theirs_${next()}`, {}, other.token);
    const sent = (await invite(theirs.campaignId, [theirCreator], theirTemplate.id, other.token)).data.inviteCreators;
    expect(codes(await invite(theirs.campaignId, [a], tpl.id))).toEqual(['NOT_FOUND']);
    expect(codes(await q(`mutation($id: ID!) { recordOutreachReply(id: $id, input: { status: INTERESTED }) { id } }`, { id: sent.messages[0].id }, acme.token))).toEqual(['NOT_FOUND']);
    const { node, outreachTemplates } = await ok(`query($id: ID!) { node(id: $id) { id } outreachTemplates(first: 100) { edges { node { id } } } }`, { id: sent.messages[0].id }, acme.token);
    expect(node).toBeNull();
    expect(outreachTemplates.edges.map((e: any) => e.node.id)).not.toContain(theirTemplate.id);
  });

  it('keeps notes and tags for the agency and searches by tag, followers, engagement and "not in campaign"', async () => {
    const s = await setup(acme);
    const n = next();
    const small = await creator(`srch_small_${n}`, { followerCount: 500, engagementRate: 0.08 });
    const big = await creator(`srch_big_${n}`, { followerCount: 90000, engagementRate: 0.02 });
    await ok(`mutation($id: ID!) { setCreatorTags(creatorId: $id, tags: ["Skincare", "skincare", " vip-${n} "]) { tags } }`, { id: small }, acme.token);
    await ok(`mutation($id: ID!) { setCreatorTags(creatorId: $id, tags: ["vip-${n}"]) { tags } }`, { id: big }, acme.token);
    const note = await ok(`mutation($id: ID!) { addCreatorNote(creatorId: $id, body: " Replies fast ") { body author { id } } }`, { id: small }, acme.token);
    expect(note.addCreatorNote.body).toBe('Replies fast');
    const search = async (filter: Record<string, unknown>) =>
      (await ok(`query($f: CreatorFilter) { creators(first: 100, filter: $f) { edges { node { id tags notes { body } } } } }`, { f: filter }, acme.token)).creators.edges.map((e: any) => e.node);
    const found = await search({ tags: [`VIP-${n}`] });
    expect(found.map((c: any) => c.id)).toEqual([small, big]);
    expect(found[0]).toMatchObject({ tags: ['skincare', `vip-${n}`], notes: [{ body: 'Replies fast' }] });
    expect((await search({ tags: [`vip-${n}`], maxFollowers: 1000 })).map((c: any) => c.id)).toEqual([small]);
    expect((await search({ tags: [`vip-${n}`], minEngagementRate: 0.05 })).map((c: any) => c.id)).toEqual([small]);
    expect((await search({ tags: [`vip-${n}`], maxEngagementRate: 0.05 })).map((c: any) => c.id)).toEqual([big]);
    await ok(`mutation($c: ID!, $cr: ID!) { enrollCreators(campaignId: $c, creators: [{ creatorId: $cr }]) { id } }`, { c: s.campaignId, cr: big }, acme.token);
    expect((await search({ tags: [`vip-${n}`], notEnrolledInCampaignId: s.campaignId })).map((c: any) => c.id)).toEqual([small]);
    expect(codes(await q(`mutation($id: ID!) { addCreatorNote(creatorId: $id, body: "x") { body } }`, { id: small }, other.token))).toEqual(['NOT_FOUND']);
    expect(codes(await q(`mutation($id: ID!) { setCreatorTags(creatorId: $id, tags: ["x"]) { tags } }`, { id: small }, other.token))).toEqual(['NOT_FOUND']);
  });
});
