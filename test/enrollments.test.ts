import {
  CreateCampaignDocument,
  CreateClientDocument,
  CreateCreatorDocument,
  CreateShopDocument,
  EnrollCreatorsDocument,
  EnrollmentStatus,
  EnrollmentsTestSetStatusDocument,
  SetCampaignStatusDocument,
} from './generated/graphql';
import { codes, startTestServer, TestAgency, TestServer } from './support/server';

let t: TestServer;
let acme: TestAgency;
let other: TestAgency;

beforeAll(async () => {
  t = await startTestServer();
  acme = await t.createAgency('Acme');
  other = await t.createAgency('Other');
});
afterAll(() => t.stop());

let handles = 0;

/** A fresh campaign with one invited creator; returns the enrollment id and the campaign id. */
async function invite(agency: TestAgency): Promise<{ enrollmentId: string; campaignId: string }> {
  const { createClient } = await t.ok(CreateClientDocument, { input: { name: 'Brand' } }, agency.token);
  const { createShop } = await t.ok(
    CreateShopDocument,
    { input: { clientId: createClient.id, name: 'US', externalId: `ext-${++handles}`, region: 'US', currency: 'USD', timeZone: 'America/New_York' } },
    agency.token,
  );
  const { createCampaign } = await t.ok(
    CreateCampaignDocument,
    { input: { shopId: createShop.id, name: 'Launch', objective: 'LAUNCH', startDate: '2026-12-01', commissionRateBps: 1200 } },
    agency.token,
  );
  const { createCreator } = await t.ok(CreateCreatorDocument, { input: { handle: `creator_${++handles}`, followerCount: 1000 } }, agency.token);
  const { enrollCreators } = await t.ok(
    EnrollCreatorsDocument,
    { campaignId: createCampaign.id, creators: [{ creatorId: createCreator.id }] },
    agency.token,
  );
  return { enrollmentId: enrollCreators[0].id, campaignId: createCampaign.id };
}

const move = (id: string, status: EnrollmentStatus, token: string, sampleTrackingNumber?: string) =>
  t.gql(EnrollmentsTestSetStatusDocument, { id, status, sampleTrackingNumber }, token);

describe('setEnrollmentStatus', () => {
  it('walks a creator from invitation to a posted video', async () => {
    const { enrollmentId } = await invite(acme);
    const path: Array<[EnrollmentStatus, string?]> = [
      ['ACCEPTED'],
      ['SAMPLE_SHIPPED', ' 1Z999AA10123456784 '],
      ['SAMPLE_DELIVERED'],
      ['CONTENT_IN_REVIEW'],
      ['POSTED'],
    ];
    for (const [status, tracking] of path) {
      const res = await move(enrollmentId, status, acme.token, tracking);
      expect(res.errors).toBeUndefined();
      expect(res.data?.setEnrollmentStatus.status).toBe(status);
    }
    const { data } = await move(enrollmentId, 'REMOVED', acme.token);
    expect(data?.setEnrollmentStatus).toMatchObject({ status: 'REMOVED', sampleTrackingNumber: '1Z999AA10123456784' });
  });

  it('needs a tracking number to mark a sample shipped', async () => {
    const { enrollmentId } = await invite(acme);
    await move(enrollmentId, 'ACCEPTED', acme.token);
    const res = await move(enrollmentId, 'SAMPLE_SHIPPED', acme.token, '   ');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['sampleTrackingNumber']);
  });

  it.each<[EnrollmentStatus[], EnrollmentStatus, EnrollmentStatus[]]>([
    [[], 'POSTED', ['ACCEPTED', 'DECLINED', 'REMOVED']],
    [['DECLINED'], 'ACCEPTED', []],
    [['ACCEPTED'], 'INVITED', ['SAMPLE_SHIPPED', 'CONTENT_IN_REVIEW', 'REMOVED']],
    [['REMOVED'], 'INVITED', []],
  ])('after %j refuses %s with INVALID_TRANSITION listing %j', async (before, target, allowed) => {
    const { enrollmentId } = await invite(acme);
    for (const status of before) expect((await move(enrollmentId, status, acme.token)).errors).toBeUndefined();
    const res = await move(enrollmentId, target, acme.token);
    expect(codes(res)).toEqual(['INVALID_TRANSITION']);
    expect(res.errors?.[0].extensions?.allowed).toEqual(allowed);
  });

  it('leaves enrollments of a completed campaign as they were (CONFLICT)', async () => {
    const { enrollmentId, campaignId } = await invite(acme);
    for (const status of ['ACTIVE', 'COMPLETED'] as const) await t.ok(SetCampaignStatusDocument, { id: campaignId, status }, acme.token);
    expect(codes(await move(enrollmentId, 'ACCEPTED', acme.token))).toEqual(['CONFLICT']);
  });

  it("treats another agency's enrollment as one that does not exist", async () => {
    const { enrollmentId } = await invite(other);
    const res = await move(enrollmentId, 'ACCEPTED', acme.token);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    // Still INVITED for its owner: moving it to ACCEPTED works once, for them.
    expect((await move(enrollmentId, 'ACCEPTED', other.token)).data?.setEnrollmentStatus.status).toBe('ACCEPTED');
  });

  it('refuses an id of another type', async () => {
    const { campaignId } = await invite(acme);
    const res = await move(campaignId, 'ACCEPTED', acme.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(Object.keys(res.errors?.[0].extensions?.fields ?? {})).toEqual(['id']);
  });
});
