import { EntityManager } from 'typeorm';
import { Campaign, CampaignStatus } from '../modules/campaign/campaign.entity';
import { EnrollmentEvent } from '../modules/campaign/enrollment-event.entity';
import { CampaignEnrollment, EnrollmentStatus } from '../modules/campaign/enrollment.entity';
import { CampaignBrief } from '../modules/content/brief.entity';
import { ContentReview, QaCheck, QaCheckKind } from '../modules/content/content-review.entity';
import { Content, ContentFormat, ContentStatus } from '../modules/content/content.entity';
import { Sample } from '../modules/content/sample.entity';
import { Creator } from '../modules/creator/creator.entity';
import { CreatorNote, OutreachChannel, OutreachMessage, OutreachReplyStatus, OutreachTemplate } from '../modules/outreach/outreach.entities';
import { renderTemplate } from '../modules/outreach/templates';
import { Product } from '../modules/product/product.entity';
import { Shop } from '../modules/shop/shop.entity';

/**
 * The creator workflow of the demo agency (issue 10): briefs, samples, content in every state
 * with its reviews and QA checks (some failing), every enrollment's history, outreach and notes.
 * Everything happens before the demo's "today" (2026-11-01), so SUBMITTED content is past its
 * review SLA and some pieces are past their posting due time: the overdue views have rows.
 */
export interface DemoContentInput {
  agencyId: string;
  /** Members who do the work: reviewers, senders, note authors. */
  memberIds: string[];
  shops: Shop[];
  campaigns: Campaign[];
  enrollments: CampaignEnrollment[];
  creators: Creator[];
  products: Product[];
  /** campaign id -> its products' ids. */
  campaignProducts: Array<{ campaignId?: string; productId?: string }>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DEMO_NOW = Date.parse('2026-11-01T08:00:00Z');

/** A small seeded PRNG (mulberry32): the demo is the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

const E = EnrollmentStatus;
const C = ContentStatus;

/** The moves that led an enrollment to its status (the first is its invitation). */
const PATHS: Record<EnrollmentStatus, EnrollmentStatus[]> = {
  [E.INVITED]: [E.INVITED],
  [E.ACCEPTED]: [E.INVITED, E.ACCEPTED],
  [E.SAMPLE_SHIPPED]: [E.INVITED, E.ACCEPTED, E.SAMPLE_SHIPPED],
  [E.SAMPLE_DELIVERED]: [E.INVITED, E.ACCEPTED, E.SAMPLE_SHIPPED, E.SAMPLE_DELIVERED],
  [E.CONTENT_IN_REVIEW]: [E.INVITED, E.ACCEPTED, E.SAMPLE_SHIPPED, E.SAMPLE_DELIVERED, E.CONTENT_IN_REVIEW],
  [E.POSTED]: [E.INVITED, E.ACCEPTED, E.SAMPLE_SHIPPED, E.SAMPLE_DELIVERED, E.CONTENT_IN_REVIEW, E.POSTED],
  [E.DECLINED]: [E.INVITED, E.DECLINED],
  [E.REMOVED]: [E.INVITED, E.ACCEPTED, E.REMOVED],
};

const TEMPLATE_BODY =
  'Hi {{creator.displayName}}! We love your videos ({{creator.handle}}). {{campaign.name}} is looking for creators to feature ' +
  '{{product.title}} at {{commissionRate}} commission. Interested?';

function checks(caption: string, good: boolean, priceOff: boolean): QaCheck[] {
  const result = (kind: QaCheckKind, passed: boolean, detail: string): QaCheck => ({ kind, passed, detail: passed ? null : detail });
  return [
    result(QaCheckKind.DISCLOSURE, good || caption.includes('#ad'), 'caption lacks the disclosure #ad'),
    result(QaCheckKind.HASHTAGS, good, 'caption lacks #demoglow'),
    result(QaCheckKind.URL_WELL_FORMED, true, ''),
    result(QaCheckKind.URL_MATCHES_BRIEF, good, "links point at none of the brief's product links"),
    result(QaCheckKind.PRODUCT_IN_CAMPAIGN, true, ''),
    result(QaCheckKind.PRICE_MATCHES_CATALOG, !priceOff, 'caption states a price that is not the catalog price'),
  ];
}

export async function seedDemoContent(em: EntityManager, input: DemoContentInput): Promise<void> {
  const rng = random(20261101);
  const { agencyId, memberIds } = input;
  const shopById = new Map(input.shops.map((s) => [s.id, s]));
  const campaignById = new Map(input.campaigns.map((c) => [c.id, c]));
  const creatorById = new Map(input.creators.map((c) => [c.id, c]));
  const productById = new Map(input.products.map((p) => [p.id, p]));
  const productsOf = new Map<string, Product[]>();
  for (const cp of input.campaignProducts) {
    const product = cp.productId ? productById.get(cp.productId) : undefined;
    if (cp.campaignId && product) productsOf.set(cp.campaignId, [...(productsOf.get(cp.campaignId) ?? []), product]);
  }
  // Instants strictly increase in the order they are handed out, each before the demo's today.
  const between = (from: number, to: number) => new Date(Math.round(Math.min(from + rng.next() * Math.max(to - from, MINUTE), DEMO_NOW - MINUTE)));

  // Briefs: every campaign past its draft has one; some were revised.
  const briefs: Partial<CampaignBrief>[] = [];
  const latestBrief = new Map<string, number>();
  for (const campaign of input.campaigns) {
    if (campaign.status === CampaignStatus.DRAFT) continue;
    const versions = rng.chance(0.4) ? 2 : 1;
    const products = productsOf.get(campaign.id) ?? [];
    for (let v = 1; v <= versions; v++) {
      briefs.push({
        agencyId,
        campaignId: campaign.id,
        version: v,
        keyMessages: [`${products[0]?.title ?? 'The hero product'} in the first three seconds`, 'Show the texture on skin'],
        dos: ['Natural light', 'Say the discount code out loud'],
        donts: ['Competitor products in frame', 'Medical claims'],
        requiredHashtags: ['#demoglow'],
        disclosure: '#ad',
        productLinks: products.slice(0, 2).map((p) => `https://shop.example.com/p/${p.sku.toLowerCase()}`),
        contentDueDays: v === 1 ? 14 : 10,
        createdById: rng.pick(memberIds),
        createdAt: between(campaign.createdAt.getTime() + HOUR * v, campaign.createdAt.getTime() + DAY * v),
      });
    }
    latestBrief.set(campaign.id, versions);
  }
  if (briefs.length) await em.insert(CampaignBrief, briefs);

  const events: Partial<EnrollmentEvent>[] = [];
  const samples: Partial<Sample>[] = [];
  const contents: Partial<Content>[] = [];
  const reviews: Partial<ContentReview>[] = [];
  const messages: Partial<OutreachMessage>[] = [];
  const videoIds = new Set<string>();
  const videoId = () => {
    let id: string;
    do id = `73${String(rng.int(10 ** 8, 10 ** 9 - 1))}${String(rng.int(10 ** 8, 10 ** 9 - 1))}`;
    while (videoIds.has(id));
    videoIds.add(id);
    return id;
  };

  const [template] = await em.save(OutreachTemplate, [
    { agencyId, name: 'First contact (DM)', channel: OutreachChannel.TIKTOK_DM, subject: null, body: TEMPLATE_BODY, createdAt: new Date(DEMO_NOW - 300 * DAY) },
    { agencyId, name: 'Sample follow-up (e-mail)', channel: OutreachChannel.EMAIL, subject: 'Your {{product.title}} is on its way', body: 'Hi {{creator.displayName}}, content is due {{contentDueDate}}.', createdAt: new Date(DEMO_NOW - 200 * DAY) },
  ] as OutreachTemplate[]);

  let contentIndex = 0;
  const given: Array<[string, number]> = [];
  for (const enrollment of input.enrollments) {
    const campaign = campaignById.get(enrollment.campaignId)!;
    const shop = shopById.get(campaign.shopId)!;
    const creator = creatorById.get(enrollment.creatorId)!;
    const products = productsOf.get(campaign.id) ?? [];
    const start = enrollment.createdAt.getTime();
    const span = Math.max(DEMO_NOW - start, 2 * HOUR);
    const path = PATHS[enrollment.status];
    // The moves, spread over the enrollment's life so far.
    const moveTimes = path.map((_, i) => new Date(i === 0 ? start : Math.min(start + (span * i) / (path.length + 1), DEMO_NOW - MINUTE * (path.length - i))));
    path.forEach((to, i) =>
      events.push({ agencyId, enrollmentId: enrollment.id, fromStatus: i === 0 ? null : path[i - 1], toStatus: to, memberId: rng.pick(memberIds), operation: i === 0 ? 'enrollCreators' : 'setEnrollmentStatus', createdAt: moveTimes[i] }),
    );
    if (latestBrief.has(campaign.id) && enrollment.status !== E.DECLINED) {
      enrollment.briefVersion = rng.chance(0.7) ? latestBrief.get(campaign.id)! : 1;
      given.push([enrollment.id, enrollment.briefVersion]);
    }

    // The invitation's outreach message.
    const values = {
      'creator.handle': `@${creator.handle}`,
      'creator.displayName': creator.displayName ?? `@${creator.handle}`,
      'campaign.name': campaign.name,
      'product.title': products[0]?.title ?? '',
      commissionRate: `${(enrollment.commissionRateBps ?? campaign.commissionRateBps) / 100}%`,
      contentDueDate: enrollment.contentDueDate ?? '',
    };
    const replied = enrollment.status !== E.INVITED || rng.chance(0.3);
    messages.push({
      agencyId,
      creatorId: creator.id,
      campaignId: campaign.id,
      enrollmentId: enrollment.id,
      templateId: template.id,
      channel: template.channel,
      subject: null,
      message: renderTemplate(template.body, values),
      sentAt: moveTimes[0],
      sentById: rng.pick(memberIds),
      replyStatus: !replied ? OutreachReplyStatus.NO_REPLY : enrollment.status === E.DECLINED ? OutreachReplyStatus.NOT_INTERESTED : OutreachReplyStatus.INTERESTED,
      repliedAt: replied ? new Date(moveTimes[0].getTime() + HOUR) : null,
      replyNote: replied && enrollment.status === E.DECLINED ? 'Fully booked this quarter' : null,
      createdAt: moveTimes[0],
    });

    // Samples: one per enrollment whose sample left the warehouse.
    const shippedAt = path.indexOf(E.SAMPLE_SHIPPED) >= 0 ? moveTimes[path.indexOf(E.SAMPLE_SHIPPED)] : null;
    const deliveredAt = path.indexOf(E.SAMPLE_DELIVERED) >= 0 ? moveTimes[path.indexOf(E.SAMPLE_DELIVERED)] : null;
    const product = products.length ? rng.pick(products) : null;
    if (shippedAt && product) {
      const quantity = rng.int(1, 2);
      samples.push({
        agencyId,
        enrollmentId: enrollment.id,
        campaignId: campaign.id,
        creatorId: creator.id,
        productId: product.id,
        quantity,
        costMinor: (product.unitCostMinor ?? Math.round(product.priceMinor / 4)) * quantity,
        currency: shop.currency,
        carrier: rng.pick(['UPS', 'USPS', 'Royal Mail', 'Canada Post']),
        trackingNumber: enrollment.sampleTrackingNumber ?? `1Z${rng.int(10 ** 8, 10 ** 9 - 1)}`,
        shippedAt,
        deliveredAt,
        createdAt: shippedAt,
      });
    }

    // Content: a planned piece after delivery, one in review, or a live one (sometimes a removed extra).
    const piece = (status: ContentStatus, submittedAt: Date, revision: number, extra: Partial<Content> = {}) => {
      const good = rng.chance(0.6);
      const caption = good ? `Morning routine with ${product?.title ?? 'this'} #ad #demoglow` : `Obsessed with this one, only $9.99! ${rng.chance(0.5) ? '#ad' : ''}`;
      const row: Partial<Content> = {
        agencyId,
        shopId: shop.id,
        campaignId: campaign.id,
        enrollmentId: enrollment.id,
        creatorId: creator.id,
        productId: product?.id ?? null,
        format: rng.chance(0.85) ? ContentFormat.VIDEO : ContentFormat.LIVE,
        status,
        revision,
        caption: status === C.PLANNED ? null : caption,
        url: status === C.PLANNED ? null : `https://drive.example.com/cuts/${creator.handle}-${++contentIndex}.mp4`,
        submittedAt: status === C.PLANNED ? null : submittedAt,
        reviewDueAt: status === C.PLANNED ? null : new Date(submittedAt.getTime() + 48 * HOUR),
        createdAt: new Date(Math.max(start + MINUTE, status === C.PLANNED ? submittedAt.getTime() : submittedAt.getTime() - (revision - 1) * 2 * DAY)),
        ...extra,
      };
      contents.push(row);
      return { row, good, caption };
    };
    const reviewOf = (content: { row: Partial<Content>; good: boolean; caption: string }, decision: ContentStatus, revision: number, at: Date, notes: string | null) =>
      ({ content, review: { agencyId, revision, decision, notes, internalNotes: decision === C.CHANGES_REQUESTED ? 'Brand asked for a re-cut' : null, reviewerId: rng.pick(memberIds), checks: checks(content.caption, content.good, !content.good && rng.chance(0.5)), createdAt: at } });

    const pendingReviews: Array<ReturnType<typeof reviewOf>> = [];
    const reviewTime = moveTimes[path.length - 1];
    if (enrollment.status === E.SAMPLE_DELIVERED && rng.chance(0.5)) {
      // Planned, due two weeks after delivery: many of these are late by the demo's today.
      piece(C.PLANNED, new Date(deliveredAt!.getTime() + HOUR), 1, { dueAt: new Date(deliveredAt!.getTime() + 14 * DAY) });
    } else if (enrollment.status === E.CONTENT_IN_REVIEW) {
      const state = rng.pick([C.SUBMITTED, C.SUBMITTED, C.CHANGES_REQUESTED, C.APPROVED]);
      const revision = state === C.SUBMITTED && rng.chance(0.5) ? 2 : 1;
      const due = rng.chance(0.5) ? new Date(reviewTime.getTime() + 7 * DAY) : new Date(DEMO_NOW + 60 * DAY);
      const c = piece(state, reviewTime, revision, { dueAt: due });
      if (revision === 2) pendingReviews.push(reviewOf(c, C.CHANGES_REQUESTED, 1, new Date(reviewTime.getTime() - DAY), 'Please show the product label'));
      if (state !== C.SUBMITTED) pendingReviews.push(reviewOf(c, state, revision, new Date(reviewTime.getTime() + HOUR), state === C.APPROVED ? 'Looks great' : 'Hook is too slow; start with the product'));
    } else if (enrollment.status === E.POSTED) {
      const postedAt = moveTimes[path.length - 1];
      const submittedAt = moveTimes[path.length - 2];
      const revision = rng.chance(0.3) ? 2 : 1;
      const c = piece(C.LIVE, submittedAt, revision, { videoId: videoId(), postedAt, url: `https://www.tiktok.com/@${creator.handle}/video/${contentIndex}` });
      c.row.url = `https://www.tiktok.com/@${creator.handle}/video/${c.row.videoId}`;
      if (revision === 2) pendingReviews.push(reviewOf(c, C.CHANGES_REQUESTED, 1, new Date(submittedAt.getTime() - DAY), 'Add the disclosure'));
      pendingReviews.push(reviewOf(c, C.APPROVED, revision, new Date(submittedAt.getTime() + HOUR), null));
      if (rng.chance(0.1)) piece(C.REMOVED, submittedAt, 1);
    }
    for (const p of pendingReviews) reviews.push({ ...p.review, content: p.content.row as Content });
  }

  if (given.length) {
    await em.query('UPDATE campaign_enrollments e SET brief_version = g.version FROM unnest($1::uuid[], $2::int[]) AS g(id, version) WHERE e.id = g.id', [
      given.map((g) => g[0]),
      given.map((g) => g[1]),
    ]);
  }
  if (events.length) await em.insert(EnrollmentEvent, events);
  if (samples.length) await em.insert(Sample, samples);
  if (messages.length) await em.insert(OutreachMessage, messages);
  if (contents.length) {
    const inserted = await em.insert(Content, contents);
    contents.forEach((row, i) => (row.id = inserted.identifiers[i].id as string));
  }
  // Inserting filled in the content ids: the reviews point at them.
  if (reviews.length) await em.insert(ContentReview, reviews.map(({ content, ...r }) => ({ ...r, contentId: (content as Content).id })));

  // A few creators carry the agency's tags and notes.
  for (const creator of input.creators.slice(0, 12)) {
    await em.update(Creator, { id: creator.id }, { tags: rng.chance(0.5) ? ['vip', 'fast-replies'] : ['skincare-expert'] });
  }
  await em.insert(
    CreatorNote,
    input.creators.slice(0, 6).map((c, i) => ({
      agencyId,
      creatorId: c.id,
      authorId: rng.pick(memberIds),
      body: i % 2 ? 'Prefers e-mail over DMs; agent is cc’d.' : 'Great hooks, slow to reply on weekends.',
      createdAt: new Date(Math.min(Math.max(c.createdAt.getTime() + HOUR, DEMO_NOW - 30 * DAY + i * HOUR), DEMO_NOW - MINUTE)),
    })),
  );
}
