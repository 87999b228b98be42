import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/common/global-id';
import { Campaign, CampaignObjective, CampaignStatus } from '../../src/modules/campaign/campaign.entity';
import { CampaignEnrollment } from '../../src/modules/campaign/enrollment.entity';
import { Client } from '../../src/modules/client/client.entity';
import { Creator } from '../../src/modules/creator/creator.entity';
import { Product } from '../../src/modules/product/product.entity';
import { recomputeRollups } from '../../src/modules/sales/rollups';
import { commissionRateBps, lineCommissionMinor, linePlatformFeeMinor, LineFacts } from '../../src/modules/sales/rules';
import { Shop } from '../../src/modules/shop/shop.entity';
import { TestServer } from './server';

/**
 * Small ledgers written straight into order_lines and daily_stats, with what the ingest decides
 * per line (order day in the shop's time zone, commission, platform fee, unit cost) worked out
 * here with the same rules, then the rollups recomputed. Metrics tests read them through GraphQL.
 */

export interface LineSpec {
  externalId: string;
  orderId: string;
  product: Product | null;
  creator?: Creator | null;
  campaign?: Campaign | null;
  videoId?: string | null;
  status: LineFacts['status'];
  quantity: number;
  gmvMinor: number;
  refundedMinor?: number;
  isSample?: boolean;
  /** An instant; its calendar day in the shop's time zone is the line's order day. */
  placedAt: string;
}

export interface StatSpec {
  date: string;
  videoId?: string | null;
  campaign?: Campaign | null;
  creator?: Creator | null;
  views?: number;
  clicks?: number;
  adSpendMinor?: number;
}

export class LedgerFixture {
  constructor(
    readonly t: TestServer,
    readonly agencyId: string,
  ) {}

  get db(): DataSource {
    return this.t.server.db;
  }

  client(name: string): Promise<Client> {
    return this.db.getRepository(Client).save({ agencyId: this.agencyId, name });
  }

  shop(client: Client, currency: string, timeZone: string, extra: Partial<Shop> = {}): Promise<Shop> {
    return this.db.getRepository(Shop).save({
      agencyId: this.agencyId,
      clientId: client.id,
      name: `Shop ${currency} ${Math.random().toString(36).slice(2, 7)}`,
      externalId: `ext-${Math.random().toString(36).slice(2, 12)}`,
      region: currency === 'USD' ? 'US' : 'DE',
      currency,
      timeZone,
      ...extra,
    });
  }

  product(shop: Shop, sku: string, priceMinor: number, unitCostMinor: number | null): Promise<Product> {
    return this.db.getRepository(Product).save({ agencyId: this.agencyId, shopId: shop.id, sku, title: sku, currency: shop.currency, priceMinor, unitCostMinor });
  }

  creator(handle: string): Promise<Creator> {
    return this.db.getRepository(Creator).save({ agencyId: this.agencyId, handle, followerCount: 1000, niches: [] });
  }

  campaign(shop: Shop, name: string, commissionRateBps: number, startDate: string, endDate: string | null = null): Promise<Campaign> {
    return this.db.getRepository(Campaign).save({
      agencyId: this.agencyId,
      shopId: shop.id,
      clientId: shop.clientId,
      name,
      objective: CampaignObjective.SALES,
      status: CampaignStatus.ACTIVE,
      startDate,
      endDate,
      currency: shop.currency,
      commissionRateBps,
    });
  }

  async enroll(campaign: Campaign, creator: Creator): Promise<void> {
    await this.db.getRepository(CampaignEnrollment).save({ agencyId: this.agencyId, campaignId: campaign.id, creatorId: creator.id });
  }

  /** Writes the lines as the ingest would, then recomputes the shop's rollups. */
  async lines(shop: Shop, specs: LineSpec[]): Promise<void> {
    for (const spec of specs) {
      const creatorId = spec.creator?.id ?? null;
      const facts: LineFacts = {
        status: spec.status,
        isSample: spec.isSample ?? false,
        creatorId,
        gmvMinor: BigInt(spec.gmvMinor),
        refundedMinor: BigInt(spec.refundedMinor ?? 0),
      };
      const rate = commissionRateBps({ campaignBps: spec.campaign?.commissionRateBps ?? null, shopDefaultBps: shop.defaultCommissionRateBps });
      await this.db.query(
        `INSERT INTO order_lines (agency_id, shop_id, external_id, order_id, product_id, creator_id, campaign_id, video_id, status, quantity,
           currency, gmv_minor, refunded_minor, is_sample, placed_at, order_day, commission_rate_bps, commission_minor, platform_fee_bps,
           platform_fee_minor, unit_cost_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::timestamptz,
           ($15::timestamptz AT TIME ZONE $16)::date, $17, $18, $19, $20, $21)`,
        [
          this.agencyId,
          shop.id,
          spec.externalId,
          spec.orderId,
          spec.product?.id ?? null,
          creatorId,
          spec.campaign?.id ?? null,
          spec.videoId ?? null,
          spec.status,
          spec.quantity,
          shop.currency,
          spec.gmvMinor,
          spec.refundedMinor ?? 0,
          spec.isSample ?? false,
          spec.placedAt,
          shop.timeZone,
          rate,
          lineCommissionMinor(facts, rate).toString(),
          shop.platformFeeBps,
          linePlatformFeeMinor(facts, shop.platformFeeBps).toString(),
          spec.product?.unitCostMinor ?? null,
        ],
      );
    }
    await recomputeRollups(this.db.manager, this.agencyId, shop.id, null);
  }

  async stats(shop: Shop, specs: StatSpec[]): Promise<void> {
    for (const spec of specs) {
      const subjectKey = spec.videoId ? `video:${spec.videoId}` : `campaign:${spec.campaign!.id}`;
      await this.db.query(
        `INSERT INTO daily_stats (agency_id, shop_id, date, subject_key, video_id, campaign_id, creator_id, views, clicks, ad_spend_minor, currency)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          this.agencyId,
          shop.id,
          spec.date,
          subjectKey,
          spec.videoId ?? null,
          spec.campaign?.id ?? null,
          spec.creator?.id ?? null,
          spec.views ?? 0,
          spec.clicks ?? 0,
          spec.adSpendMinor ?? 0,
          shop.currency,
        ],
      );
    }
    await recomputeRollups(this.db.manager, this.agencyId, shop.id, null);
  }
}

export const gid = (typeName: string, row: { id: string }) => toGlobalId(typeName, row.id);

/** A member of `role` (a CLIENT_VIEWER confined to `clientId`), signed in: their token. */
export async function signedInMember(t: TestServer, adminToken: string, role: string, clientId?: string): Promise<string> {
  const email = `${role.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const password = 'correct-horse-battery-staple';
  const created = await t.gql(
    `mutation ($input: CreateMemberInput!) { createMember(input: $input) { id } }`,
    { input: { email, name: `${role} member`, role, clientId: clientId ? toGlobalId('Client', clientId) : undefined, password } },
    adminToken,
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const login = await t.gql<{ login: { token: string } }, unknown>(
    `mutation ($email: EmailAddress!, $password: String!) { login(email: $email, password: $password) { token } }`,
    { email, password },
  );
  if (!login.data) throw new Error(JSON.stringify(login.errors));
  return login.data.login.token;
}
