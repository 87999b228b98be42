import { Campaign } from '../../src/modules/campaign/campaign.entity';
import { Client } from '../../src/modules/client/client.entity';
import { Creator } from '../../src/modules/creator/creator.entity';
import { Product } from '../../src/modules/product/product.entity';
import { Shop } from '../../src/modules/shop/shop.entity';
import { LedgerFixture } from './ledger';
import { TestAgency, TestServer } from './server';

/**
 * The small ledger the metrics, profit and leaderboard tests compute by hand.
 *
 * Shop A: USD, America/New_York (clocks go forward on Sunday 2026-03-08: that day has 23 hours),
 * platform fee 800 bps, default commission 1000 bps. P1 costs 10.00 a unit; P2 has no cost.
 * Campaign C1 (1500 bps). Shop B: EUR, Europe/Berlin, another client; P3 costs 3.00.
 *
 *  line  day    order product creator campaign qty  gmv   refund  status      commission fee  cogs
 *  L0   02-20   O0    P1     alice   -        1    1000     0    DELIVERED      100      80  1000
 *  L1   03-02   O1    P1     alice   C1       2    5000     0    DELIVERED      750     400  2000
 *  L2   03-02   O1    P2     alice   C1       1    3000     0    DELIVERED      450     240  (1 unit missing)
 *  L3   03-03   O2    P1     bob     -        1    2500  2500    REFUNDED         0       0  1000
 *  L4   03-07   O3    P1     -       -        3    7500  1000    SHIPPED          0     520  3000   (23:30 EST on 03-07)
 *  L5   03-08   O4    P1     alice   C1       1    2500     0    CANCELLED        0       0  -
 *  L8   03-08   O7    P1     -       -        1    1500     0    DELIVERED        0     120  1000   (23:45 EDT on 03-08)
 *  L6   03-09   O5    P1     bob     -        2    5000     0    DELIVERED, sample: 2 units, sample cost 2000
 *  L7   03-15   O6    P2     bob     C1       1    4002     0    PLACED         600     320  (1 unit missing)
 *  B1   03-02   X1    P3     bob     -        1    1000     0    DELIVERED      100      80   300
 *  B2   03-02   X2    P3     -       -        1    1001     0    DELIVERED        0      80   300
 *
 * Daily stats (shop A): 03-02 video v1 (alice, C1) 1000 views, 50 clicks; 03-03 campaign C1
 * 500 views, 10 clicks, 20.00 ad spend; 03-15 video v2 (bob) 200 views, 4 clicks, 10.00 ad spend.
 */
export interface SalesFixture {
  ledger: LedgerFixture;
  clientA: Client;
  clientB: Client;
  shopA: Shop;
  shopB: Shop;
  p1: Product;
  p2: Product;
  p3: Product;
  alice: Creator;
  bob: Creator;
  c1: Campaign;
  c2: Campaign;
}

export async function buildSalesFixture(t: TestServer, agency: TestAgency): Promise<SalesFixture> {
  const ledger = new LedgerFixture(t, agency.agencyId);
  const clientA = await ledger.client('Client A');
  const clientB = await ledger.client('Client B');
  const shopA = await ledger.shop(clientA, 'USD', 'America/New_York');
  const shopB = await ledger.shop(clientB, 'EUR', 'Europe/Berlin');
  const p1 = await ledger.product(shopA, 'P1', 2500, 1000);
  const p2 = await ledger.product(shopA, 'P2', 3000, null);
  const p3 = await ledger.product(shopB, 'P3', 1000, 300);
  const alice = await ledger.creator('alice');
  const bob = await ledger.creator('bob');
  const c1 = await ledger.campaign(shopA, 'C1', 1500, '2026-03-01', '2026-03-31');
  const c2 = await ledger.campaign(shopB, 'C2', 1000, '2026-03-01');
  await ledger.enroll(c1, alice);
  await ledger.enroll(c1, bob);
  await ledger.enroll(c2, bob);

  await ledger.lines(shopA, [
    { externalId: '7000000000000000000', orderId: '5000000000000000000', product: p1, creator: alice, status: 'DELIVERED', quantity: 1, gmvMinor: 1000, placedAt: '2026-02-20T15:00:00Z' },
    { externalId: '7000000000000000001', orderId: '5000000000000000001', product: p1, creator: alice, campaign: c1, videoId: 'v1', status: 'DELIVERED', quantity: 2, gmvMinor: 5000, placedAt: '2026-03-02T15:00:00Z' },
    { externalId: '7000000000000000002', orderId: '5000000000000000001', product: p2, creator: alice, campaign: c1, videoId: 'v1', status: 'DELIVERED', quantity: 1, gmvMinor: 3000, placedAt: '2026-03-02T15:00:00Z' },
    { externalId: '7000000000000000003', orderId: '5000000000000000002', product: p1, creator: bob, status: 'REFUNDED', quantity: 1, gmvMinor: 2500, refundedMinor: 2500, placedAt: '2026-03-03T15:00:00Z' },
    { externalId: '7000000000000000004', orderId: '5000000000000000003', product: p1, status: 'SHIPPED', quantity: 3, gmvMinor: 7500, refundedMinor: 1000, placedAt: '2026-03-08T04:30:00Z' },
    { externalId: '7000000000000000005', orderId: '5000000000000000004', product: p1, creator: alice, campaign: c1, status: 'CANCELLED', quantity: 1, gmvMinor: 2500, placedAt: '2026-03-08T16:00:00Z' },
    { externalId: '7000000000000000008', orderId: '5000000000000000007', product: p1, status: 'DELIVERED', quantity: 1, gmvMinor: 1500, placedAt: '2026-03-09T03:45:00Z' },
    { externalId: '7000000000000000006', orderId: '5000000000000000005', product: p1, creator: bob, status: 'DELIVERED', quantity: 2, gmvMinor: 5000, isSample: true, placedAt: '2026-03-09T15:00:00Z' },
    { externalId: '7000000000000000007', orderId: '5000000000000000006', product: p2, creator: bob, campaign: c1, videoId: 'v2', status: 'PLACED', quantity: 1, gmvMinor: 4002, placedAt: '2026-03-15T12:00:00Z' },
  ]);
  await ledger.stats(shopA, [
    { date: '2026-03-02', videoId: 'v1', creator: alice, campaign: c1, views: 1000, clicks: 50 },
    { date: '2026-03-03', campaign: c1, views: 500, clicks: 10, adSpendMinor: 2000 },
    { date: '2026-03-15', videoId: 'v2', creator: bob, views: 200, clicks: 4, adSpendMinor: 1000 },
  ]);
  await ledger.lines(shopB, [
    { externalId: '8000000000000000001', orderId: '6000000000000000001', product: p3, creator: bob, status: 'DELIVERED', quantity: 1, gmvMinor: 1000, placedAt: '2026-03-02T10:00:00Z' },
    { externalId: '8000000000000000002', orderId: '6000000000000000002', product: p3, status: 'DELIVERED', quantity: 1, gmvMinor: 1001, placedAt: '2026-03-02T11:00:00Z' },
  ]);
  return { ledger, clientA, clientB, shopA, shopB, p1, p2, p3, alice, bob, c1, c2 };
}
