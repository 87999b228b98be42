import { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { formatMinor } from '../../common/money';
import { scopedQuery } from '../../common/tenancy';
import { CampaignProduct } from '../campaign/campaign-product.entity';
import { Product } from '../product/product.entity';
import { QaCheck, QaCheckKind } from './content-review.entity';
import { Content } from './content.entity';

/** What the brief asks of a caption and its links (briefs.ts supplies it; defaults without a brief). */
export interface QaExpectations {
  disclosure: string;
  hashtags: string[];
  productLinks: string[];
}

/** Without a brief: the platform's minimum, an ad disclosure. */
export const DEFAULT_EXPECTATIONS: QaExpectations = { disclosure: '#ad', hashtags: [], productLinks: [] };

type BriefLookup = (ctx: RequestContext, em: EntityManager, content: Content) => Promise<QaExpectations | null>;
let briefLookup: BriefLookup = async () => null;

/** The briefs module tells the checks what the enrollment's brief asks for. */
export function useBriefExpectations(lookup: BriefLookup): void {
  briefLookup = lookup;
}

const check = (kind: QaCheckKind, passed: boolean, detail: string | null = null): QaCheck => ({ kind, passed, detail: passed ? null : detail });

function hashtagsOf(caption: string): Set<string> {
  return new Set([...caption.matchAll(/#[\p{L}\p{N}_]+/gu)].map((m) => m[0].toLowerCase()));
}

function parseUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** host + path without a trailing slash, lower-cased host: how two links are compared. */
function linkKey(url: URL): string {
  return `${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
}

/** Prices written in the caption: "$12.99", "12.99 USD", "£8". */
function pricesIn(caption: string): string[] {
  return [...caption.matchAll(/(?:[$£€]\s?(\d+(?:[.,]\d{1,2})?))|(?:(\d+(?:[.,]\d{1,2})?)\s?(?:USD|CAD|GBP|EUR)\b)/g)].map((m) =>
    (m[1] ?? m[2]).replace(',', '.'),
  );
}

function samePrice(written: string, catalog: string): boolean {
  return Number(written).toFixed(2) === Number(catalog).toFixed(2);
}

/**
 * The QA checks of a submission, recorded with its review. A failed check never blocks the
 * reviewer; it shows on the review. Checks: the brief's disclosure and hashtags in the caption,
 * the URL well-formed and one of the brief's product links, the product one of the campaign's,
 * and any price the caption states equal to the catalog price.
 */
export async function runQaChecks(ctx: RequestContext, em: EntityManager, content: Content): Promise<QaCheck[]> {
  const expected = (await briefLookup(ctx, em, content)) ?? DEFAULT_EXPECTATIONS;
  const caption = content.caption ?? '';
  const tags = hashtagsOf(caption);
  const checks: QaCheck[] = [];

  const disclosure = expected.disclosure.trim().toLowerCase();
  checks.push(check(QaCheckKind.DISCLOSURE, !disclosure || caption.toLowerCase().includes(disclosure), `caption lacks the disclosure ${expected.disclosure}`));

  const missing = expected.hashtags.map((h) => (h.startsWith('#') ? h : `#${h}`).toLowerCase()).filter((h) => !tags.has(h));
  checks.push(check(QaCheckKind.HASHTAGS, missing.length === 0, `caption lacks ${missing.join(' ')}`));

  const url = content.url ? parseUrl(content.url) : null;
  checks.push(check(QaCheckKind.URL_WELL_FORMED, url !== null, content.url ? `not an http(s) URL: ${content.url}` : 'no URL submitted'));
  if (expected.productLinks.length) {
    const allowed = expected.productLinks.map(parseUrl).filter((u): u is URL => u !== null).map(linkKey);
    const linked = [...caption.matchAll(/https?:\/\/\S+/g)].map((m) => parseUrl(m[0])).filter((u): u is URL => u !== null);
    const candidates = [...(url ? [url] : []), ...linked];
    const matches = candidates.some((u) => allowed.includes(linkKey(u)));
    checks.push(check(QaCheckKind.URL_MATCHES_BRIEF, matches, `links point at none of the brief's product links (${expected.productLinks.join(', ')})`));
  }

  if (content.productId) {
    const inCampaign = await em
      .getRepository(CampaignProduct)
      .exists({ where: { campaignId: content.campaignId, productId: content.productId } });
    checks.push(check(QaCheckKind.PRODUCT_IN_CAMPAIGN, inCampaign, 'the product is not one of the campaign\'s products'));
    const product = await scopedQuery(ctx, Product, 'product', em).andWhere('product.id = :id', { id: content.productId }).getOne();
    if (product) {
      const catalog = formatMinor(product.priceMinor, product.currency);
      const written = pricesIn(caption);
      const wrong = written.filter((p) => !samePrice(p, catalog));
      checks.push(check(QaCheckKind.PRICE_MATCHES_CATALOG, wrong.length === 0, `caption says ${wrong.join(', ')}; the catalog price is ${catalog} ${product.currency}`));
    }
  } else {
    checks.push(check(QaCheckKind.PRODUCT_IN_CAMPAIGN, false, 'no product named with the submission'));
  }
  return checks;
}
