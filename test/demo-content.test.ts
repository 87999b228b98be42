import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from '../src/cli/demo-data';
import { startTestServer, TestServer } from './support/server';

/* eslint-disable @typescript-eslint/no-explicit-any -- responses are read as plain JSON here */

/** The demo agency shows the creator workflow: every content state, overdue items, failed QA checks. */
let t: TestServer;
let token: string;

beforeAll(async () => {
  t = await startTestServer({ env: { SEED_DEMO: 'true' } });
  const login = await t.gql<any, any>(`mutation($e: EmailAddress!, $p: String!) { login(email: $e, password: $p) { token } }`, { e: DEMO_ADMIN_EMAIL, p: DEMO_ADMIN_PASSWORD });
  token = login.data.login.token;
});
afterAll(() => t.stop());

async function ok(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await t.gql<any, any>(query, variables, token);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

it('has content in every state, with reviews, failed QA checks and overdue items', async () => {
  const states = ['PLANNED', 'SUBMITTED', 'CHANGES_REQUESTED', 'APPROVED', 'LIVE', 'REMOVED'];
  for (const status of states) {
    const data = await ok(`query($s: [ContentStatus!]) { content(filter: { status: $s }) { totalCount } }`, { s: [status] });
    expect({ status, some: data.content.totalCount > 0 }).toEqual({ status, some: true });
  }
  const overdue = await ok(`{ content(filter: { overdue: true }) { totalCount } late: campaigns(first: 20) { edges { node { contentOverdue { reviews posts } enrollments(filter: { contentOverdue: true }) { totalCount } } } } }`);
  expect(overdue.content.totalCount).toBeGreaterThan(0);
  const counts = overdue.late.edges.map((e: any) => e.node);
  expect(counts.some((c: any) => c.contentOverdue.reviews > 0)).toBe(true);
  expect(counts.some((c: any) => c.contentOverdue.posts > 0)).toBe(true);
  expect(counts.some((c: any) => c.enrollments.totalCount > 0)).toBe(true);

  const reviewed = await ok(`{ content(first: 100, filter: { status: [LIVE, CHANGES_REQUESTED, APPROVED] }) { edges { node { reviews { decision checks { passed } reviewer { id } } enrollment { history { toStatus } samples { cost { amountMinor } } brief { version } } } } } }`);
  const nodes = reviewed.content.edges.map((e: any) => e.node);
  expect(nodes.every((n: any) => n.reviews.length > 0 && n.reviews.every((r: any) => r.reviewer))).toBe(true);
  expect(nodes.some((n: any) => n.reviews.some((r: any) => r.checks.some((c: any) => !c.passed)))).toBe(true);
  expect(nodes.every((n: any) => n.enrollment.history.length >= 5)).toBe(true);
  expect(nodes.some((n: any) => n.enrollment.samples.length > 0 && n.enrollment.brief)).toBe(true);

  const extras = await ok(`{ outreachTemplates { totalCount } samplesAwaitingContent(shippedDaysAgo: 7) { totalCount } creators(first: 5, filter: { tags: ["vip"] }) { edges { node { tags notes { body } outreach { totalCount } } } } }`);
  expect(extras.outreachTemplates.totalCount).toBeGreaterThan(0);
  expect(extras.samplesAwaitingContent.totalCount).toBeGreaterThan(0);
  expect(extras.creators.edges.length).toBeGreaterThan(0);
});
