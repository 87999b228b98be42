import { randomUUID } from 'node:crypto';
import { actAsAgency } from '../db/tenant-setting';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../common/context';
import { hashPassword } from '../common/passwords';
import { Agency } from '../modules/agency/agency.entity';
import { CampaignProduct } from '../modules/campaign/campaign-product.entity';
import { Campaign, CampaignObjective, CampaignStatus } from '../modules/campaign/campaign.entity';
import { CampaignEnrollment, EnrollmentStatus } from '../modules/campaign/enrollment.entity';
import { seedDemoContent } from './demo-content';
import { Client, ClientStatus } from '../modules/client/client.entity';
import { Creator } from '../modules/creator/creator.entity';
import { Member } from '../modules/member/member.entity';
import { Product } from '../modules/product/product.entity';
import { Shop, ShopStatus } from '../modules/shop/shop.entity';
import { addDays } from '../common/date-range';
import { Random } from '../common/seeded-random';
import { generateSyntheticSales } from '../modules/sales/synthetic-sales';

/**
 * A realistic demo agency: three brands, four shops, ~40 products, ~200 creators and a dozen
 * campaigns in every status, with enrollments at every stage of the creator pipeline.
 *
 * Every random choice comes from one seeded generator, so each run loads the same data (only
 * uuids differ). Rows are inserted in batches: ten statements in all.
 *
 * Timestamps (createdAt, updatedAt) tell the agency's story over the months before DEMO_TODAY:
 * the agency first, a client before its shops, a shop's catalogue before its campaigns, a campaign
 * and a creator before the enrollment that joins them. They are anchored to DEMO_TODAY, not to the
 * real clock, because the campaign calendar (start dates, statuses) is fixed around it: a clock-relative
 * createdAt would drift past those dates and make a campaign "created" after it ended.
 */

export const DEMO_ADMIN_EMAIL = 'admin@demo.agency';
export const DEMO_ADMIN_PASSWORD = 'demo';

/** One demo login per role (all with DEMO_ADMIN_PASSWORD): printed at start, shown in the explorer and the README. */
export const DEMO_LOGINS: ReadonlyArray<{ role: Role; email: string; name: string }> = [
  { role: Role.AGENCY_ADMIN, email: DEMO_ADMIN_EMAIL, name: 'Avery Admin' },
  { role: Role.SENIOR_ACCOUNT_MANAGER, email: 'senior@demo.agency', name: 'Jordan Reyes' },
  { role: Role.ACCOUNT_MANAGER, email: 'am@demo.agency', name: 'Riley Chen' },
  { role: Role.ANALYST, email: 'analyst@demo.agency', name: 'Priya Shah' },
  { role: Role.CLIENT_VIEWER, email: 'viewer@demo.agency', name: 'Casey Brooks' },
];

const SEED = 20260101;
/** The "now" the fixed campaign dates are written around; data must not depend on the real clock. */
export const DEMO_TODAY = '2026-11-01';
/** Orders in the demo's last 90 days (about 1.3 lines each). */
const DEMO_ORDERS = 6000;
/** Nothing in the demo was created after this instant (the morning of DEMO_TODAY, UTC). */
const DEMO_NOW = Date.parse(`${DEMO_TODAY}T08:00:00Z`);
/** The day the demo agency signed up; the oldest row. */
const AGENCY_FOUNDED = Date.parse('2025-01-02T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/**
 * Hands out creation instants: random ones in a window, whole seconds, never the same instant
 * twice (a clash moves on by a millisecond), so "oldest first" is a real order, not uuid order.
 */
class Timeline {
  private readonly taken = new Set<number>();

  constructor(private readonly rng: Random) {}

  /** An instant in [from, to] (epoch ms); an empty window collapses to `from`. */
  between(from: number, to: number): Date {
    const span = Math.max(0, to - from);
    return this.at(roundTo(from + this.rng.next() * span, 1000));
  }

  /** Exactly `ms`, or the next free millisecond after it. */
  at(ms: number): Date {
    while (this.taken.has(ms)) ms++;
    this.taken.add(ms);
    return new Date(ms);
  }
}

const dayStart = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Retail-style price in minor units: the nearest whole unit minus one cent (38.99). */
function charmPrice(minor: number): number {
  return Math.max(99, Math.round(minor / 100) * 100 - 1);
}

const maxDate = (a: string, b: string) => (a > b ? a : b);

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

// ---------------------------------------------------------------------------------------------
// Brands, shops and catalogues

type ShopKey = 'glowUs' | 'glowCa' | 'vitalUk' | 'hearthUs';

interface ClientPlan {
  name: string;
  status: ClientStatus;
  manager: 'senior' | 'am';
  monthlyTarget: { minor: number; currency: string } | null;
  /** Creator niches that fit the brand, used to pick plausible creators for its campaigns. */
  niches: string[];
  /** When the agency signed the brand: [earliest, latest] day its record was created. */
  signed: [string, string];
}

const CLIENTS = {
  glow: {
    name: 'Glowbar Skincare',
    status: ClientStatus.ACTIVE,
    manager: 'am',
    monthlyTarget: { minor: 25_000_000, currency: 'USD' },
    niches: ['beauty', 'skincare', 'fashion', 'lifestyle'],
    signed: ['2025-08-01', '2025-09-30'],
  },
  vital: {
    name: 'Vitalroot Supplements',
    status: ClientStatus.ACTIVE,
    manager: 'senior',
    monthlyTarget: { minor: 12_000_000, currency: 'GBP' },
    niches: ['wellness', 'fitness', 'food', 'lifestyle'],
    signed: ['2025-10-01', '2025-11-10'],
  },
  hearth: {
    name: 'Hearth & Oak Home',
    status: ClientStatus.ONBOARDING,
    manager: 'am',
    monthlyTarget: null,
    niches: ['home', 'kitchen', 'food', 'parenting'],
    // Still onboarding: signed a few weeks before DEMO_TODAY.
    signed: ['2026-09-01', '2026-09-30'],
  },
} satisfies Record<string, ClientPlan>;

type ClientKey = keyof typeof CLIENTS;

interface ProductLine {
  code: string;
  title: string;
  /** [label, sku suffix] per variant; later variants cost more. */
  variants: [string, string][];
  /** Price of the first variant, in USD cents; converted for other currencies. */
  basePriceUsd: number;
}

const SKINCARE: ProductLine[] = [
  { code: 'GLOW-SERUM', title: 'Glow Vitamin C Serum', variants: [['30 ml', '30ML'], ['50 ml', '50ML']], basePriceUsd: 3899 },
  { code: 'BARRIER-CREAM', title: 'Barrier Repair Moisturizer', variants: [['50 ml', '50ML'], ['100 ml', '100ML']], basePriceUsd: 3299 },
  { code: 'GEL-CLEANSER', title: 'Gentle Gel Cleanser', variants: [['150 ml', '150ML'], ['300 ml', '300ML']], basePriceUsd: 1899 },
  { code: 'SPF50-FLUID', title: 'Daily Sheer SPF 50 Fluid', variants: [['50 ml', '50ML'], ['Duo', 'DUO']], basePriceUsd: 2999 },
  { code: 'RETINOL-NIGHT', title: 'Retinol 0.3% Night Cream', variants: [['30 ml', '30ML'], ['50 ml', '50ML']], basePriceUsd: 4999 },
  { code: 'HYDRA-MIST', title: 'Hyaluronic Hydrating Mist', variants: [['100 ml', '100ML'], ['Travel 3-Pack', 'TRAVEL3']], basePriceUsd: 1499 },
  { code: 'LIP-SLEEP', title: 'Overnight Lip Sleeping Mask', variants: [['Berry', 'BERRY'], ['Vanilla', 'VANILLA']], basePriceUsd: 1299 },
];

const SUPPLEMENTS: ProductLine[] = [
  { code: 'GUT-BIOTIC', title: 'Daily Gut Biotic', variants: [['30 Capsules', '30CT'], ['90 Capsules', '90CT']], basePriceUsd: 2499 },
  { code: 'MAG-SLEEP', title: 'Magnesium Glycinate Sleep', variants: [['60 Capsules', '60CT'], ['120 Capsules', '120CT']], basePriceUsd: 1999 },
  { code: 'COLLAGEN-PWD', title: 'Marine Collagen Powder', variants: [['Unflavoured 300 g', '300G'], ['Berry 300 g', 'BERRY300G']], basePriceUsd: 3999 },
  { code: 'ASHWA-GUMMY', title: 'Ashwagandha Calm Gummies', variants: [['30 Gummies', '30CT'], ['60 Gummies', '60CT']], basePriceUsd: 1799 },
  { code: 'GREENS-BLEND', title: 'Super Greens Daily Blend', variants: [['30 Servings', '30SV'], ['60 Servings', '60SV']], basePriceUsd: 3499 },
];

const HOMEWARE: ProductLine[] = [
  { code: 'CAST-SKILLET', title: 'Pre-Seasoned Cast Iron Skillet', variants: [['10 inch', '10IN'], ['12 inch', '12IN']], basePriceUsd: 3999 },
  { code: 'LINEN-APRON', title: 'Stonewashed Linen Apron', variants: [['Sage', 'SAGE'], ['Charcoal', 'CHARCOAL']], basePriceUsd: 2899 },
  { code: 'OAK-BOARD', title: 'End-Grain Oak Cutting Board', variants: [['Medium', 'MD'], ['Large', 'LG']], basePriceUsd: 4499 },
  { code: 'GLASS-CANISTER', title: 'Airtight Glass Pantry Canisters', variants: [['Set of 3', 'SET3'], ['Set of 5', 'SET5']], basePriceUsd: 2499 },
];

interface ShopPlan {
  client: ClientKey;
  name: string;
  region: string;
  currency: string;
  timeZone: string;
  status: ShopStatus;
  catalogue: ProductLine[];
}

const SHOPS: Record<ShopKey, ShopPlan> = {
  glowUs: { client: 'glow', name: 'Glowbar US', region: 'US', currency: 'USD', timeZone: 'America/Los_Angeles', status: ShopStatus.ACTIVE, catalogue: SKINCARE },
  // A smaller range in Canada; the shop is suspended pending a compliance review.
  glowCa: { client: 'glow', name: 'Glowbar Canada', region: 'CA', currency: 'CAD', timeZone: 'America/Toronto', status: ShopStatus.SUSPENDED, catalogue: SKINCARE.slice(0, 4) },
  vitalUk: { client: 'vital', name: 'Vitalroot UK', region: 'GB', currency: 'GBP', timeZone: 'Europe/London', status: ShopStatus.ACTIVE, catalogue: SUPPLEMENTS },
  hearthUs: { client: 'hearth', name: 'Hearth & Oak US', region: 'US', currency: 'USD', timeZone: 'America/New_York', status: ShopStatus.ACTIVE, catalogue: HOMEWARE },
};

/** Rough retail conversion from USD list prices (brands price per market, not at spot rates). */
const PRICE_FACTOR: Record<string, number> = { USD: 1, CAD: 1.37, GBP: 0.85 };

// ---------------------------------------------------------------------------------------------
// Campaigns

interface CampaignPlan {
  shop: ShopKey;
  name: string;
  objective: CampaignObjective;
  status: CampaignStatus;
  startDate: string;
  endDate: string | null;
}

const { SALES, AWARENESS, LAUNCH } = CampaignObjective;
const { DRAFT, ACTIVE, PAUSED, COMPLETED, CANCELLED } = CampaignStatus;

// Dates sit around late 2026: completed campaigns are in the past, drafts in the future.
const CAMPAIGNS: CampaignPlan[] = [
  { shop: 'vitalUk', name: 'January Wellness Reset', objective: SALES, status: COMPLETED, startDate: '2026-01-02', endDate: '2026-02-28' },
  { shop: 'glowUs', name: 'Always-On Affiliate Program', objective: SALES, status: ACTIVE, startDate: '2026-02-01', endDate: null },
  { shop: 'glowUs', name: 'SPF Daily Awareness Push', objective: AWARENESS, status: COMPLETED, startDate: '2026-04-01', endDate: '2026-05-15' },
  { shop: 'glowUs', name: 'Glow Serum Summer Launch', objective: LAUNCH, status: COMPLETED, startDate: '2026-05-20', endDate: '2026-07-31' },
  { shop: 'glowCa', name: 'Canada Back-to-School Bundles', objective: SALES, status: CANCELLED, startDate: '2026-08-10', endDate: '2026-09-20' },
  { shop: 'glowCa', name: 'Glowbar Canada Launch', objective: LAUNCH, status: PAUSED, startDate: '2026-09-15', endDate: '2026-12-15' },
  { shop: 'vitalUk', name: 'Gut Health Creator Series', objective: AWARENESS, status: ACTIVE, startDate: '2026-10-01', endDate: null },
  { shop: 'glowUs', name: 'Holiday Glow Gift Sets', objective: SALES, status: ACTIVE, startDate: '2026-11-01', endDate: '2026-12-31' },
  { shop: 'vitalUk', name: 'Black Friday Stack & Save', objective: SALES, status: PAUSED, startDate: '2026-11-10', endDate: '2026-12-02' },
  { shop: 'glowUs', name: 'New Year Reset Routine', objective: SALES, status: DRAFT, startDate: '2027-01-05', endDate: '2027-02-15' },
  { shop: 'hearthUs', name: 'Cast Iron Launch Teaser', objective: AWARENESS, status: DRAFT, startDate: '2027-01-15', endDate: '2027-03-31' },
  { shop: 'vitalUk', name: 'Sleep Gummies Launch', objective: LAUNCH, status: DRAFT, startDate: '2027-02-01', endDate: null },
];

const E = EnrollmentStatus;

/**
 * Where creators stand, by campaign status: a draft has only invitations out, a completed
 * campaign is mostly posted or declined. Every listed status appears at least once.
 */
const ENROLLMENT_MIX: Record<CampaignStatus, { count: [number, number]; weights: Partial<Record<EnrollmentStatus, number>> }> = {
  DRAFT: { count: [5, 8], weights: { [E.INVITED]: 1 } },
  ACTIVE: {
    count: [16, 25],
    weights: {
      [E.INVITED]: 3, [E.ACCEPTED]: 3, [E.SAMPLE_SHIPPED]: 3, [E.SAMPLE_DELIVERED]: 2,
      [E.CONTENT_IN_REVIEW]: 2, [E.POSTED]: 4, [E.DECLINED]: 2, [E.REMOVED]: 1,
    },
  },
  PAUSED: {
    count: [8, 14],
    weights: { [E.INVITED]: 3, [E.ACCEPTED]: 3, [E.SAMPLE_SHIPPED]: 2, [E.SAMPLE_DELIVERED]: 1, [E.DECLINED]: 2 },
  },
  COMPLETED: { count: [12, 20], weights: { [E.POSTED]: 7, [E.DECLINED]: 3, [E.REMOVED]: 1 } },
  CANCELLED: { count: [5, 9], weights: { [E.ACCEPTED]: 1, [E.DECLINED]: 2, [E.REMOVED]: 4 } },
};

/** Statuses by which the sample has left the warehouse, so a tracking number exists. */
const SAMPLE_SENT = new Set<EnrollmentStatus>([E.SAMPLE_SHIPPED, E.SAMPLE_DELIVERED, E.CONTENT_IN_REVIEW, E.POSTED]);
/** Statuses of creators who agreed to make content, so a due date may be set. */
const COMMITTED = new Set<EnrollmentStatus>([E.ACCEPTED, ...SAMPLE_SENT]);

// ---------------------------------------------------------------------------------------------
// Creators

const FIRST_NAMES = [
  'maya', 'olivia', 'ava', 'sofia', 'chloe', 'zoe', 'lily', 'hannah', 'grace', 'emma', 'mia', 'isla',
  'nora', 'leah', 'jade', 'aaliyah', 'priya', 'yuki', 'camila', 'elena', 'tess', 'ruby', 'ivy', 'kiara',
  'jordan', 'tyler', 'marcus', 'ethan', 'noah', 'liam', 'mateo', 'jayden', 'caleb', 'omar', 'dev', 'kai',
  'luca', 'sam', 'alex', 'remy',
];
const LAST_NAMES = [
  'johnson', 'nguyen', 'garcia', 'smith', 'patel', 'kim', 'brown', 'lopez', 'walker', 'reyes', 'chen',
  'davis', 'morgan', 'okafor', 'silva', 'hughes', 'murphy', 'tran', 'wright', 'bell', 'foster', 'cruz',
  'park', 'shah', 'evans', 'rossi', 'king', 'ali', 'bennett', 'campbell',
];
const NICHES = ['beauty', 'skincare', 'fitness', 'wellness', 'home', 'kitchen', 'fashion', 'tech', 'food', 'parenting', 'pets', 'lifestyle'];
/** Words creators in each niche put in their handles. */
const NICHE_WORDS: Record<string, string[]> = {
  beauty: ['beauty', 'glam', 'makeup', 'lashes'],
  skincare: ['skin', 'glow', 'skincare', 'derm'],
  fitness: ['fit', 'lifts', 'gains', 'pilates'],
  wellness: ['wellness', 'calm', 'healthy', 'selfcare'],
  home: ['home', 'nest', 'decor', 'cozy'],
  kitchen: ['kitchen', 'cooks', 'bakes', 'chef'],
  fashion: ['style', 'fits', 'ootd', 'closet'],
  tech: ['tech', 'gadgets', 'setup', 'unboxed'],
  food: ['eats', 'foodie', 'snacks', 'recipes'],
  parenting: ['mom', 'dad', 'momlife', 'littles'],
  pets: ['pup', 'paws', 'catmom', 'doggo'],
  lifestyle: ['daily', 'vibes', 'life', 'finds'],
};
/** Niches weighted towards what a beauty/wellness/home agency actually books. */
const NICHE_WEIGHTS: Record<string, number> = {
  beauty: 5, skincare: 5, fitness: 3, wellness: 4, home: 3, kitchen: 3,
  fashion: 3, tech: 1, food: 3, parenting: 2, pets: 1, lifestyle: 4,
};

const MAX_HANDLE = 24;

function pickNiches(rng: Random): string[] {
  const count = rng.weighted({ '1': 4, '2': 4, '3': 2 });
  const chosen = new Set<string>();
  while (chosen.size < Number(count)) chosen.add(rng.weighted(NICHE_WEIGHTS));
  // Keep the catalogue order so the arrays read consistently.
  return NICHES.filter((n) => chosen.has(n));
}

/** A TikTok-looking handle: letters, digits, '_' and '.', never starting or ending with '.' or '_'. */
function makeHandle(rng: Random, first: string, last: string, word: string, taken: Set<string>): string {
  const patterns = [
    () => `${first}.${last}`,
    () => `${first}${last}${rng.int(1, 99)}`,
    () => `${first}_${word}`,
    () => `${word}with${first}`,
    () => `the${word}${first}`,
    () => `${first}${last.charAt(0)}.${word}`,
    () => `${first}.${word}.${rng.int(1, 9)}`,
    () => `its${first}${last}`,
  ];
  let handle = rng.pick(patterns)().slice(0, MAX_HANDLE).replace(/[._]+$/, '');
  // Real platforms resolve clashes the same way: a number on the end.
  while (taken.has(handle)) handle = `${handle.slice(0, MAX_HANDLE - 3)}${rng.int(1, 999)}`;
  taken.add(handle);
  return handle;
}

/** Follower counts are log-normal: many micro-creators, a few big names (1k..3M, median ~30k). */
function followerCount(rng: Random): number {
  let log10: number;
  // Redraw outside the range rather than clamp, so no pile-up of creators at exactly 1,000.
  do log10 = 4.5 + 0.75 * rng.normal();
  while (log10 < 3 || log10 > Math.log10(3_000_000));
  return Math.round(10 ** log10);
}

/** Engagement falls as audiences grow; ratio in [0.01, 0.15], 4 decimals. */
function engagementRate(rng: Random, followers: number): number {
  const rate = 0.11 - 0.018 * (Math.log10(followers) - 3) + 0.015 * rng.normal();
  return Math.round(Math.min(0.15, Math.max(0.01, rate)) * 10_000) / 10_000;
}

function makeCreators(rng: Random, timeline: Timeline, agencyId: string, count: number): Creator[] {
  const taken = new Set<string>();
  // The roster grows from the agency's first week until just before DEMO_TODAY.
  const from = AGENCY_FOUNDED + 4 * DAY;
  const to = DEMO_NOW - 2 * DAY;
  // A batch imported from a spreadsheet lands within one second, a millisecond apart.
  const importedAt = Date.parse('2025-06-02T14:30:00.000Z');

  return Array.from({ length: count }, () => {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const niches = pickNiches(rng);
    const handle = makeHandle(rng, first, last, rng.pick(NICHE_WORDS[rng.pick(niches)]), taken);
    const followers = followerCount(rng);
    const display = rng.weighted({ full: 85, first: 10, none: 5 });
    return {
      id: randomUUID(),
      agencyId,
      handle,
      displayName: display === 'full' ? `${capitalize(first)} ${capitalize(last)}` : display === 'first' ? capitalize(first) : null,
      followerCount: followers,
      engagementRate: engagementRate(rng, followers),
      niches,
      region: rng.weighted({ US: 75, GB: 15, CA: 10 }),
      email: rng.chance(0.7) ? `${handle}@${rng.pick(['example.com', 'example.net'])}` : null,
      createdAt: rng.chance(0.1) ? timeline.at(importedAt) : timeline.between(from, to),
    } as Creator;
  });
}

// ---------------------------------------------------------------------------------------------
// Rows that depend on each other

function makeProducts(rng: Random, timeline: Timeline, agencyId: string, shop: Shop, plan: ShopPlan): Product[] {
  const factor = PRICE_FACTOR[plan.currency];
  const opened = shop.createdAt.getTime();
  return plan.catalogue.flatMap((line) =>
    line.variants.map(([label, suffix], i) => {
      const priceMinor = charmPrice(line.basePriceUsd * factor * (1 + 0.45 * i));
      // The catalogue is synced on the shop's first day; about a third was edited since.
      const createdAt = timeline.between(opened + 10 * MINUTE, opened + 20 * HOUR);
      const updatedAt = rng.chance(0.35) ? new Date(roundTo(createdAt.getTime() + 7 * DAY + rng.next() * (DEMO_NOW - createdAt.getTime() - 7 * DAY), 1000)) : createdAt;
      return {
        id: randomUUID(),
        agencyId,
        shopId: shop.id,
        createdAt,
        updatedAt,
        sku: `${line.code}-${suffix}`,
        title: `${line.title}, ${label}`,
        currency: plan.currency,
        priceMinor,
        // Some brands have not shared their cost of goods yet.
        unitCostMinor: rng.chance(0.1) ? null : Math.round(priceMinor * (0.2 + 0.25 * rng.next())),
      } as Product;
    }),
  );
}

/** A 19-digit TikTok Shop id; they start with 7 like real ones. */
function shopExternalId(rng: Random, taken: Set<string>): string {
  let id: string;
  do id = `7495${rng.digits(15)}`;
  while (taken.has(id));
  taken.add(id);
  return id;
}

function makeCampaign(rng: Random, timeline: Timeline, agencyId: string, plan: CampaignPlan, shop: Shop): Campaign {
  // Set up a few weeks before it starts, after the shop's catalogue, and never after DEMO_TODAY
  // (drafts for next year were written in the last weeks).
  const start = dayStart(plan.startDate);
  const latest = Math.min(start - 3 * DAY, DEMO_NOW - 7 * DAY);
  const createdAt = timeline.between(Math.max(shop.createdAt.getTime() + 2 * DAY, Math.min(start - 45 * DAY, latest - 30 * DAY)), latest);
  // Budgets in whole hundreds of the shop currency; targets a multiple of the budget.
  const budgetMinor = rng.chance(0.9) ? roundTo(rng.int(3_000, 40_000), 100) * 100 : null;
  const gmvMultiple = rng.int(4, 12);
  const hasTargetGmv = plan.objective !== AWARENESS || rng.chance(0.3);
  return {
    id: randomUUID(),
    agencyId,
    shopId: shop.id,
    clientId: shop.clientId,
    name: plan.name,
    objective: plan.objective,
    status: plan.status,
    startDate: plan.startDate,
    endDate: plan.endDate,
    currency: shop.currency,
    budgetMinor,
    commissionRateBps: roundTo(rng.int(800, 2500), 50),
    targetGmvMinor: hasTargetGmv ? roundTo((budgetMinor ?? 2_000_000) * gmvMultiple, 100_000) : null,
    targetRoas: plan.objective === SALES && rng.chance(0.75) ? Math.round((2.5 + 3.5 * rng.next()) * 10) / 10 : null,
    createdAt,
  } as Campaign;
}

/** Carrier-style tracking numbers for the shop's region. */
function trackingNumber(rng: Random, region: string): string {
  const letters = () => String.fromCharCode(65 + rng.int(0, 25));
  if (region === 'GB') return `${letters()}${letters()}${rng.digits(9)}GB`; // Royal Mail
  if (region === 'CA') return rng.digits(16); // Canada Post
  return `1Z${rng.digits(3)}${letters()}${letters()}${rng.digits(11)}`; // UPS
}

/** Creators most likely to be booked: same region as the shop, niches that fit the brand. */
function pickCreators(rng: Random, creators: Creator[], region: string, niches: string[], n: number): Creator[] {
  const scored = creators.map((c) => ({
    c,
    score: (c.region === region ? 2 : 0) + (c.niches.some((x) => niches.includes(x)) ? 1.5 : 0) + rng.next() * 1.5,
  }));
  return scored.sort((a, b) => b.score - a.score).slice(0, n).map((s) => s.c);
}

/**
 * When a campaign stops inviting: running ones (and drafts) up to DEMO_TODAY, the others in their
 * first three weeks or by their end date.
 */
function invitationsEnd(campaign: Campaign): number {
  if (campaign.status === ACTIVE || campaign.status === PAUSED || campaign.status === DRAFT) return DEMO_NOW - HOUR;
  const end = campaign.endDate ? dayStart(campaign.endDate) : Infinity;
  return Math.min(dayStart(campaign.startDate) + 21 * DAY, end, DEMO_NOW - HOUR);
}

function makeEnrollments(rng: Random, timeline: Timeline, campaign: Campaign, shop: Shop, niches: string[], creators: Creator[]): CampaignEnrollment[] {
  const mix = ENROLLMENT_MIX[campaign.status];
  const n = rng.int(...mix.count);
  const listed = Object.keys(mix.weights) as EnrollmentStatus[];
  const statuses = rng.shuffle([
    ...listed,
    ...Array.from({ length: Math.max(0, n - listed.length) }, () => rng.weighted(mix.weights)),
  ]);
  // Only creators already on the roster a day before invitations close can be invited.
  const until = invitationsEnd(campaign);
  const known = creators.filter((c) => c.createdAt.getTime() < until - DAY);
  const chosen = pickCreators(rng, known, shop.region, niches, statuses.length);
  // Running campaigns (like the always-on one) have recent deadlines, not ones from their first week.
  const dueFrom = campaign.status === ACTIVE || campaign.status === PAUSED ? DEMO_TODAY : campaign.startDate;

  return chosen.map((creator, i) => {
    const status = statuses[i];
    let contentDueDate: string | null = null;
    if (COMMITTED.has(status) && rng.chance(0.6)) {
      contentDueDate = addDays(maxDate(campaign.startDate, dueFrom), rng.int(14, 45));
      if (campaign.endDate && contentDueDate > campaign.endDate) contentDueDate = campaign.endDate;
    }
    return {
      id: randomUUID(),
      agencyId: campaign.agencyId,
      campaignId: campaign.id,
      creatorId: creator.id,
      status,
      // Bigger creators negotiate a better rate than the campaign default.
      commissionRateBps: rng.chance(0.2) ? Math.min(3000, campaign.commissionRateBps + roundTo(rng.int(250, 1000), 50)) : null,
      contentDueDate,
      sampleTrackingNumber: SAMPLE_SENT.has(status) ? trackingNumber(rng, shop.region) : null,
      createdAt: timeline.between(Math.max(campaign.createdAt.getTime(), creator.createdAt.getTime()) + HOUR, until),
    } as CampaignEnrollment;
  });
}

// ---------------------------------------------------------------------------------------------
// Seeding

export async function seedDemoData(db: DataSource): Promise<{ agencyId: string }> {
  // Hash before the transaction: it is slow on purpose and need not hold the only connection.
  const passwordHash = await hashPassword(DEMO_ADMIN_PASSWORD);
  return db.transaction((em) => insertDemoAgency(em, passwordHash));
}

async function insertDemoAgency(em: EntityManager, passwordHash: string): Promise<{ agencyId: string }> {
  const rng = new Random(SEED);
  const timeline = new Timeline(rng);
  const agencyId = randomUUID();
  await actAsAgency(em, agencyId);
  await em.insert(Agency, { id: agencyId, name: 'Demo Agency', slug: 'demo-agency', createdAt: timeline.at(AGENCY_FOUNDED) });

  // Members and clients point at each other: staff first, then clients, then the client viewer.
  const login = (role: Role, createdAt: Date, clientId: string | null = null) => {
    const { email, name } = DEMO_LOGINS.find((l) => l.role === role)!;
    return { id: randomUUID(), agencyId, email, name, role, passwordHash, clientId, createdAt } as Member;
  };
  // The founder signs up with the agency; the team grows over the first months, before the
  // account managers are given clients.
  const staff = {
    admin: login(Role.AGENCY_ADMIN, timeline.at(AGENCY_FOUNDED + 2 * MINUTE)),
    senior: login(Role.SENIOR_ACCOUNT_MANAGER, timeline.between(AGENCY_FOUNDED + DAY, AGENCY_FOUNDED + 30 * DAY)),
    am: login(Role.ACCOUNT_MANAGER, timeline.between(dayStart('2025-03-01'), dayStart('2025-06-30'))),
    analyst: login(Role.ANALYST, timeline.between(dayStart('2025-06-01'), dayStart('2025-12-31'))),
  };
  await em.insert(Member, Object.values(staff));

  const clients = {} as Record<ClientKey, Client>;
  for (const [key, plan] of Object.entries(CLIENTS) as [ClientKey, ClientPlan][]) {
    clients[key] = {
      id: randomUUID(),
      agencyId,
      name: plan.name,
      status: plan.status,
      accountManagerId: staff[plan.manager].id,
      monthlyGmvTargetMinor: plan.monthlyTarget?.minor ?? null,
      monthlyGmvTargetCurrency: plan.monthlyTarget?.currency ?? null,
      createdAt: timeline.between(dayStart(plan.signed[0]), dayStart(plan.signed[1])),
    } as Client;
  }
  await em.insert(Client, Object.values(clients));
  const glowSigned = clients.glow.createdAt.getTime();
  await em.insert(Member, login(Role.CLIENT_VIEWER, timeline.between(glowSigned + 7 * DAY, glowSigned + 60 * DAY), clients.glow.id));

  const externalIds = new Set<string>();
  const shops = {} as Record<ShopKey, Shop>;
  for (const [key, plan] of Object.entries(SHOPS) as [ShopKey, ShopPlan][]) {
    // Opened in the two months before its first campaign, after the client signed.
    const firstStart = Math.min(...CAMPAIGNS.filter((c) => c.shop === key).map((c) => dayStart(c.startDate)));
    const latest = Math.min(firstStart - 21 * DAY, DEMO_NOW - 14 * DAY);
    const signed = clients[plan.client].createdAt.getTime();
    shops[key] = {
      id: randomUUID(),
      agencyId,
      clientId: clients[plan.client].id,
      name: plan.name,
      externalId: shopExternalId(rng, externalIds),
      region: plan.region,
      currency: plan.currency,
      timeZone: plan.timeZone,
      status: plan.status,
      createdAt: timeline.between(Math.max(signed + DAY, latest - 60 * DAY), latest),
    } as Shop;
  }
  await em.insert(Shop, Object.values(shops));

  const productsByShop = {} as Record<ShopKey, Product[]>;
  for (const key of Object.keys(SHOPS) as ShopKey[]) {
    productsByShop[key] = makeProducts(rng, timeline, agencyId, shops[key], SHOPS[key]);
  }
  await em.insert(Product, Object.values(productsByShop).flat());

  const creators = makeCreators(rng, timeline, agencyId, 200);
  await em.insert(Creator, creators);

  const campaigns: Campaign[] = [];
  const campaignProducts: Partial<CampaignProduct>[] = [];
  const enrollments: CampaignEnrollment[] = [];
  for (const plan of CAMPAIGNS) {
    const shop = shops[plan.shop];
    const campaign = makeCampaign(rng, timeline, agencyId, plan, shop);
    campaigns.push(campaign);
    const created = campaign.createdAt.getTime();
    for (const product of rng.sample(productsByShop[plan.shop], rng.int(2, 5))) {
      // Products are picked while the campaign is being set up.
      campaignProducts.push({ campaignId: campaign.id, productId: product.id, agencyId, createdAt: timeline.between(created + MINUTE, created + 30 * MINUTE) });
    }
    enrollments.push(...makeEnrollments(rng, timeline, campaign, shop, CLIENTS[SHOPS[plan.shop].client].niches, creators));
  }
  await em.insert(Campaign, campaigns);
  await em.insert(CampaignProduct, campaignProducts);
  await em.insert(CampaignEnrollment, enrollments);
  await seedDemoContent(em, { agencyId, memberIds: [staff.admin.id, staff.senior.id, staff.am.id], shops: Object.values(shops), campaigns, enrollments, creators, products: Object.values(productsByShop).flat(), campaignProducts });

  // 90 days of orders, stats and health up to the demo's today, so dashboards show real numbers.
  await generateSyntheticSales(em, agencyId, { from: addDays(DEMO_TODAY, -90), to: addDays(DEMO_TODAY, -1), orders: DEMO_ORDERS, seed: SEED });

  return { agencyId };
}
