import crypto from 'node:crypto';
import { LOGIN_CANDIDATES } from '../src/modules/member/member.service';
import { toGlobalId } from '../src/common/global-id';
import {
  AccessTestCreateMemberDocument,
  AccessTestDeactivateMemberDocument,
  ManagementTestChangePasswordDocument,
  MembersTestLoginDocument,
  MembersTestViewerDocument,
} from './generated/graphql';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

/**
 * E-mail addresses belong to people, and a person may be a member of several agencies. Members
 * are per agency (unique by agency and e-mail): another agency can neither learn an address
 * (no CONFLICT, no other answer, no other timing) nor squat it (lock the owner out).
 */
let t: TestServer;
let counter = 0;
const ADMIN_PASSWORD = 'correct-horse-battery';
const WRONG = 'Wrong e-mail or password';

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

const address = () => `person-${++counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;

async function addMember(agency: TestAgency, email: string, password: string, role: 'ANALYST' | 'ACCOUNT_MANAGER' = 'ANALYST') {
  const res = await t.gql(AccessTestCreateMemberDocument, { input: { email, name: 'Pat Person', role, password } }, agency.token);
  return res;
}

async function slugOf(agency: TestAgency): Promise<string> {
  return (await t.ok(MembersTestViewerDocument, {}, agency.token)).agency.slug;
}

function login(email: string, password: string, agency?: string | null) {
  return t.gql(MembersTestLoginDocument, { email, password, agency });
}

describe('an address in another agency', () => {
  it("createMember with another agency's member's address answers exactly as for a never-seen address", async () => {
    const a = await t.createAgency('Alpha Oracle');
    const b = await t.createAgency('Beta Oracle');
    const fresh = address();

    t.sql.reset();
    const known = await addMember(b, a.email.toUpperCase(), 'b-chosen-password');
    const knownStatements = t.sql.count;
    t.sql.reset();
    const unknown = await addMember(b, fresh, 'b-chosen-password');
    const unknownStatements = t.sql.count;

    expect(codes(known)).toEqual([]);
    expect(codes(unknown)).toEqual([]);
    const shape = (m: NonNullable<typeof known.data>['createMember']) => ({ ...m, id: 'x', email: 'x', createdAt: 'x' });
    expect(shape(known.data!.createMember)).toEqual(shape(unknown.data!.createMember));
    expect(known.data!.createMember.email).toBe(a.email);
    expect(known.data!.createMember.agency?.id).toBe(toGlobalId('Agency', b.agencyId));
    // The same statements, so not a different path either.
    expect(knownStatements).toBe(unknownStatements);
  });

  it("leaves the owner signing in to their agency, and B's new member signs in to B", async () => {
    const a = await t.createAgency('Alpha Squat');
    const b = await t.createAgency('Beta Squat');
    expect(codes(await addMember(b, a.email, 'squatters-password'))).toEqual([]);

    const owner = await login(a.email, ADMIN_PASSWORD);
    expect(codes(owner)).toEqual([]);
    expect(owner.data!.login.member.agency.id).toBe(toGlobalId('Agency', a.agencyId));
    expect(owner.data!.login.member.role).toBe('AGENCY_ADMIN');

    const squatter = await login(a.email, 'squatters-password');
    expect(codes(squatter)).toEqual([]);
    expect(squatter.data!.login.member.agency.id).toBe(toGlobalId('Agency', b.agencyId));
    expect(squatter.data!.login.member.role).toBe('ANALYST');

    // Each token acts in its own agency only, and each agency lists its own member.
    const inA = await t.ok(MembersTestViewerDocument, {}, owner.data!.login.token);
    const inB = await t.ok(MembersTestViewerDocument, {}, squatter.data!.login.token);
    expect(inA.viewer).toEqual({ id: owner.data!.login.member.id, email: a.email, agency: { id: inA.agency.id, slug: inA.agency.slug } });
    expect(inB.viewer?.agency.id).toBe(toGlobalId('Agency', b.agencyId));
    expect(inA.agency.members.totalCount).toBe(1);
    expect(inB.agency.members.edges.map((e) => e.node.email).sort()).toEqual([a.email, b.email].sort());
  });

  it('an address registered first elsewhere blocks no one: the owner is added afterwards', async () => {
    const a = await t.createAgency('Alpha First');
    const b = await t.createAgency('Beta First');
    const email = address();
    expect(codes(await addMember(b, email, 'registered-first-by-b'))).toEqual([]);
    expect(codes(await addMember(a, email, 'the-owners-password'))).toEqual([]);

    const res = await login(email, 'the-owners-password');
    expect(res.data?.login.member.agency.id).toBe(toGlobalId('Agency', a.agencyId));
  });

  it('is still a CONFLICT on input.email within one agency', async () => {
    const a = await t.createAgency();
    const res = await addMember(a, a.email.toUpperCase(), 'some-long-password');
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['input.email']);
  });
});

describe('login of a person in several agencies', () => {
  it('with the same password in several, needs `agency` (slug or id) and names the matching ones', async () => {
    const a = await t.createAgency('Alpha Same');
    const b = await t.createAgency('Beta Same');
    const c = await t.createAgency('Gamma Same');
    const email = address();
    await addMember(a, email, 'one-password-for-all');
    await addMember(b, email, 'one-password-for-all');
    await addMember(c, email, 'another-password-here');

    const ambiguous = await login(email, 'one-password-for-all');
    expect(codes(ambiguous)).toEqual(['BAD_USER_INPUT']);
    const fields = ambiguous.errors?.[0].extensions?.fields ?? {};
    expect(Object.keys(fields)).toEqual(['agency']);
    // Only the agencies this password opens: not the third one.
    expect(fields.agency[0]).toContain(await slugOf(a));
    expect(fields.agency[0]).toContain(await slugOf(b));
    expect(fields.agency[0]).not.toContain(await slugOf(c));

    const bySlug = await login(email, 'one-password-for-all', await slugOf(b));
    expect(bySlug.data?.login.member.agency.id).toBe(toGlobalId('Agency', b.agencyId));
    const byId = await login(email, 'one-password-for-all', toGlobalId('Agency', a.agencyId));
    expect(byId.data?.login.member.agency.id).toBe(toGlobalId('Agency', a.agencyId));
    // The third agency's own password needs no `agency`.
    expect((await login(email, 'another-password-here')).data?.login.member.agency.id).toBe(toGlobalId('Agency', c.agencyId));
  });

  it('answers a wrong agency, an unknown agency and a wrong password alike', async () => {
    const a = await t.createAgency('Alpha Vague');
    const b = await t.createAgency('Beta Vague');
    const email = address();
    await addMember(a, email, 'alpha-password-1');

    const results = [
      await login(email, 'alpha-password-1', await slugOf(b)), // right password, other agency
      await login(email, 'alpha-password-1', 'no-such-agency'),
      await login(email, 'alpha-password-1', toGlobalId('Client', a.agencyId)), // an id of another type
      await login(email, 'wrong-password-1', await slugOf(a)),
      await login(address(), 'alpha-password-1', await slugOf(a)),
    ];
    for (const res of results) {
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors?.[0].message).toBe(WRONG);
      expect(res.data).toBeNull();
    }
  });

  it('refuses a blank agency as BAD_USER_INPUT on agency', async () => {
    const res = await login(address(), 'whatever-password', '   ');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['agency']);
  });

  it('skips a deactivated membership: the active one signs in, a deactivated one alone says so', async () => {
    const a = await t.createAgency('Alpha Gone');
    const b = await t.createAgency('Beta Gone');
    const email = address();
    const inA = await addMember(a, email, 'same-password-twice');
    await addMember(b, email, 'same-password-twice');
    await t.ok(AccessTestDeactivateMemberDocument, { id: inA.data!.createMember.id }, a.token);

    expect((await login(email, 'same-password-twice')).data?.login.member.agency.id).toBe(toGlobalId('Agency', b.agencyId));
    const gone = await login(email, 'same-password-twice', await slugOf(a));
    expect(codes(gone)).toEqual(['UNAUTHENTICATED']);
    expect(gone.errors?.[0].message).toMatch(/deactivated/);
  });

  it(`tries the oldest ${LOGIN_CANDIDATES} memberships; a newer one needs agency`, async () => {
    const email = address();
    const agencies: TestAgency[] = [];
    for (let i = 0; i <= LOGIN_CANDIDATES; i++) {
      const agency = await t.createAgency(`Many ${counter}-${i}`);
      await addMember(agency, email, `password-number-${i}`);
      agencies.push(agency);
    }
    expect((await login(email, 'password-number-0')).data?.login.member.agency.id).toBe(toGlobalId('Agency', agencies[0].agencyId));
    const newest = agencies[LOGIN_CANDIDATES];
    expect(codes(await login(email, `password-number-${LOGIN_CANDIDATES}`))).toEqual(['UNAUTHENTICATED']);
    const named = await login(email, `password-number-${LOGIN_CANDIDATES}`, await slugOf(newest));
    expect(named.data?.login.member.agency.id).toBe(toGlobalId('Agency', newest.agencyId));
  });

  it('changePassword changes the password of this agency only', async () => {
    const a = await t.createAgency('Alpha Change');
    const b = await t.createAgency('Beta Change');
    const email = address();
    await addMember(a, email, 'alpha-password-2');
    await addMember(b, email, 'beta-password-22');
    const inB = (await login(email, 'beta-password-22')).data!.login;

    await t.ok(ManagementTestChangePasswordDocument, { currentPassword: 'beta-password-22', newPassword: 'beta-password-new' }, inB.token);
    expect((await login(email, 'beta-password-new')).data?.login.member.agency.id).toBe(toGlobalId('Agency', b.agencyId));
    expect((await login(email, 'alpha-password-2')).data?.login.member.agency.id).toBe(toGlobalId('Agency', a.agencyId));
    expect(codes(await login(email, 'beta-password-22'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('login does the same work whoever knows the address', () => {
  /** Counts scrypt derivations (one per password check) and SQL statements of one login. */
  async function workOf(run: () => Promise<unknown>): Promise<{ hashes: number; statements: number }> {
    const spy = jest.spyOn(crypto, 'scrypt');
    t.sql.reset();
    try {
      await run();
      return { hashes: spy.mock.calls.length, statements: t.sql.count };
    } finally {
      spy.mockRestore();
    }
  }

  it('checks the same number of hashes and sends the same statements for 0, 1, 2 and many memberships', async () => {
    const one = address();
    const two = address();
    const many = address();
    const agencies = [await t.createAgency('Work A'), await t.createAgency('Work B'), await t.createAgency('Work C'), await t.createAgency('Work D')];
    await addMember(agencies[0], one, 'a-password-of-one');
    for (const agency of agencies.slice(0, 2)) await addMember(agency, two, 'a-password-of-two');
    for (const agency of agencies) await addMember(agency, many, 'a-password-of-many');

    const work = [
      await workOf(() => login(address(), 'not-the-password')),
      await workOf(() => login(one, 'not-the-password')),
      await workOf(() => login(two, 'not-the-password')),
      await workOf(() => login(many, 'not-the-password')),
    ];
    expect(work[0].hashes).toBe(LOGIN_CANDIDATES);
    for (const w of work) expect(w).toEqual(work[0]);

    // With `agency`: one hash, known agency or not, member there or not.
    const slug = await slugOf(agencies[0]);
    const named = [
      await workOf(() => login(address(), 'not-the-password', slug)),
      await workOf(() => login(one, 'not-the-password', slug)),
      await workOf(() => login(one, 'not-the-password', 'no-such-agency')),
    ];
    expect(named[0].hashes).toBe(1);
    for (const w of named) expect(w).toEqual(named[0]);
  });
});
