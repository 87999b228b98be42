import { EntityManager, In } from 'typeorm';
import { findOwned, RequestContext } from '../../common/context';
import { AppError, ErrorCode, FieldErrorCollector } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { MoneyInput } from '../../common/money';
import { validateInput } from '../../common/validation';
import { Connection, CREATED_ORDER, fetchConnection, ListSpec, loadNestedConnection, orderedBy, PageArgs, SortKey } from '../../common/pagination';
import { likePattern } from '../../common/sql';
import { assertTransition, Transitions } from '../../common/transitions';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';
import { ShopService } from '../shop/shop.service';
import { CampaignProduct } from './campaign-product.entity';
import { Campaign, CampaignStatus } from './campaign.entity';
import { CampaignFilter, CampaignOrder, CampaignOrderField, CreateCampaignInput, UpdateCampaignInput } from './campaign.inputs';
import { scopedQuery } from '../../common/tenancy';

/** DRAFT -> ACTIVE <-> PAUSED -> COMPLETED (ACTIVE may also complete); any non-final state -> CANCELLED. */
export const CAMPAIGN_MOVES: Transitions<CampaignStatus> = {
  [CampaignStatus.DRAFT]: [CampaignStatus.ACTIVE, CampaignStatus.CANCELLED],
  [CampaignStatus.ACTIVE]: [CampaignStatus.PAUSED, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED],
  [CampaignStatus.PAUSED]: [CampaignStatus.ACTIVE, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED],
  [CampaignStatus.COMPLETED]: [],
  [CampaignStatus.CANCELLED]: [],
};

export const FINAL_CAMPAIGN_STATES = [CampaignStatus.COMPLETED, CampaignStatus.CANCELLED];

const PARENT_COLUMNS = {
  shop: { column: 'shop_id', property: 'shopId' },
  client: { column: 'client_id', property: 'clientId' },
} as const;

const ORDER_COLUMNS: Record<CampaignOrderField, Omit<SortKey, 'direction'>> = {
  [CampaignOrderField.NAME]: { column: 'name', kind: 'text', property: 'name', caseInsensitive: true },
  [CampaignOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp', property: 'createdAt' },
  [CampaignOrderField.START_DATE]: { column: 'start_date', kind: 'date', property: 'startDate' },
};

export class CampaignService {
  private readonly shops = new ShopService();

  private spec(ctx: RequestContext, filter: CampaignFilter | null | undefined, order?: CampaignOrder | null): ListSpec<Campaign> {
    const shopId = filter?.shopId ? decodeId('Shop', filter.shopId, 'filter.shopId') : undefined;
    const clientId = filter?.clientId ? decodeId('Client', filter.clientId, 'filter.clientId') : undefined;
    return {
      keys: order ? orderedBy(ORDER_COLUMNS[order.field], order.direction) : CREATED_ORDER,
      query: () => {
        const qb = scopedQuery(ctx, Campaign, 'campaign');
        if (filter?.status?.length) qb.andWhere('campaign.status IN (:...statuses)', { statuses: filter.status });
        if (filter?.objective?.length) qb.andWhere('campaign.objective IN (:...objectives)', { objectives: filter.objective });
        if (shopId) qb.andWhere('campaign.shopId = :shopId', { shopId });
        if (clientId) qb.andWhere('campaign.clientId = :clientId', { clientId });
        if (filter?.activeOn) {
          qb.andWhere('campaign.startDate <= :activeOn AND (campaign.endDate IS NULL OR campaign.endDate >= :activeOn)', {
            activeOn: filter.activeOn,
          });
        }
        if (filter?.search) qb.andWhere('campaign.name ILIKE :search', { search: likePattern(filter.search) });
        return qb;
      },
    };
  }

  list(ctx: RequestContext, page: PageArgs, filter?: CampaignFilter | null, order?: CampaignOrder | null): Promise<Connection<Campaign>> {
    return fetchConnection(this.spec(ctx, filter, order), page);
  }

  /** campaign(id:): like node(id:), null for missing ids and for rows the caller may not see. */
  find(ctx: RequestContext, globalId: string): Promise<Campaign | null> {
    return ctx.loaders.byId(Campaign).load(decodeId('Campaign', globalId));
  }

  /** Campaigns of one shop or client, batched across all the shops or clients of a response. */
  forParent(ctx: RequestContext, parent: 'shop' | 'client', parentId: string, page: PageArgs, filter?: CampaignFilter | null) {
    return loadNestedConnection(ctx.loaders, `${parent}.campaigns`, this.spec(ctx, filter), PARENT_COLUMNS[parent], parentId, page, filter);
  }

  /** The products each campaign promotes, for many campaigns in one statement. */
  products(ctx: RequestContext, campaignId: string): Promise<Product[]> {
    return ctx.loaders
      .manyBy<Product>('Campaign.products', async (campaignIds) => {
        const rows = await scopedQuery(ctx, Product, 'product')
          .innerJoin(CampaignProduct, 'cp', 'cp.productId = product.id')
          .addSelect('cp.campaignId', 'campaign_id')
          .andWhere('cp.campaignId IN (:...campaignIds)', { campaignIds })
          .orderBy('product.createdAt', 'ASC')
          .addOrderBy('product.id', 'ASC')
          .getRawAndEntities();
        // One product may be in several campaigns: entities are unique, raw rows are per pair.
        const byId = new Map(rows.entities.map((p) => [p.id, p]));
        const grouped = new Map<string, Product[]>();
        for (const raw of rows.raw as Array<{ campaign_id: string; product_id: string }>) {
          const product = byId.get(raw.product_id);
          if (!product) continue;
          const list = grouped.get(raw.campaign_id);
          if (list) list.push(product);
          else grouped.set(raw.campaign_id, [product]);
        }
        return grouped;
      })
      .load(campaignId);
  }

  /** A campaign of the caller's agency, locked for update, or NOT_FOUND naming `path`. */
  getForUpdate(ctx: RequestContext, em: EntityManager, id: string, path = 'id'): Promise<Campaign> {
    return findOwned(ctx, em, Campaign, id, path, true);
  }

  async create(ctx: RequestContext, input: CreateCampaignInput): Promise<Campaign> {
    const errors = await validateInput(input, 'input');
    const shopId = errors.attempt(() => decodeId('Shop', input.shopId, 'input.shopId'));
    const productIds = this.decodeProductIds(errors, input.productIds);
    return ctx.transaction(async (em) => {
      const shop = shopId ? await this.shops.get(ctx, em, shopId, 'input.shopId') : undefined;
      this.checkFields(errors, shop, input.startDate, input);
      errors.throwIfAny();
      // No problems, so the shop id decoded and the shop was found.
      const { clientId, currency } = shop!;
      const campaign = await em.save(
        em.create(Campaign, {
          agencyId: ctx.agencyId,
          shopId,
          clientId,
          name: input.name.trim(),
          objective: input.objective,
          status: CampaignStatus.DRAFT,
          startDate: input.startDate,
          endDate: input.endDate ?? null,
          currency,
          budgetMinor: input.budget?.amountMinor ?? null,
          commissionRateBps: input.commissionRateBps,
          targetGmvMinor: input.targetGmv?.amountMinor ?? null,
          targetRoas: input.targetRoas ?? null,
        }),
      );
      if (productIds) await this.replaceProducts(ctx, em, campaign, productIds);
      return campaign;
    });
  }

  async update(ctx: RequestContext, globalId: string, input: UpdateCampaignInput): Promise<Campaign> {
    const id = decodeId('Campaign', globalId);
    const errors = await validateInput(input, 'input');
    const productIds = this.decodeProductIds(errors, input.productIds);
    return ctx.transaction(async (em) => {
      const campaign = await this.getForUpdate(ctx, em, id);
      this.assertEditable(campaign);
      const shop = await this.shops.get(ctx, em, campaign.shopId);
      this.checkFields(errors, shop, input.startDate ?? campaign.startDate, {
        ...input,
        endDate: input.endDate === undefined ? campaign.endDate : input.endDate,
      });
      errors.throwIfAny();
      if (input.name) campaign.name = input.name.trim();
      if (input.startDate) campaign.startDate = input.startDate;
      if (input.endDate !== undefined) campaign.endDate = input.endDate;
      if (input.commissionRateBps !== undefined && input.commissionRateBps !== null) campaign.commissionRateBps = input.commissionRateBps;
      if (input.budget !== undefined) campaign.budgetMinor = input.budget?.amountMinor ?? null;
      if (input.targetGmv !== undefined) campaign.targetGmvMinor = input.targetGmv?.amountMinor ?? null;
      if (input.targetRoas !== undefined) campaign.targetRoas = input.targetRoas;
      const saved = await em.save(campaign);
      if (productIds) await this.replaceProducts(ctx, em, campaign, productIds);
      return saved;
    });
  }

  async setStatus(ctx: RequestContext, globalId: string, status: CampaignStatus): Promise<Campaign> {
    const id = decodeId('Campaign', globalId);
    return ctx.transaction(async (em) => {
      const campaign = await this.getForUpdate(ctx, em, id);
      assertTransition('Campaign', CAMPAIGN_MOVES, campaign.status, status);
      campaign.status = status;
      return em.save(campaign);
    });
  }

  /** Final campaigns are a record of what happened: they no longer change. */
  assertEditable(campaign: Campaign): void {
    if (FINAL_CAMPAIGN_STATES.includes(campaign.status)) {
      throw AppError.conflict(`Campaign is ${campaign.status}; it can no longer be changed`);
    }
  }

  /** Every id that does not decode is collected; the list is returned only when all do. */
  private decodeProductIds(errors: FieldErrorCollector, ids: string[] | null | undefined): string[] | undefined {
    if (!ids) return undefined;
    const decoded = ids.map((id, i) => errors.attempt(() => decodeId('Product', id, `input.productIds.${i}`)));
    return decoded.every((id) => id !== undefined) ? (decoded as string[]) : undefined;
  }

  /**
   * Money in the shop's currency, an end date not before the start: collected with the input's
   * other problems. Needs the shop (create: unknown when its id did not decode).
   */
  private checkFields(
    errors: FieldErrorCollector,
    shop: Shop | undefined,
    startDate: string,
    input: { endDate?: string | null; budget?: MoneyInput | null; targetGmv?: MoneyInput | null },
  ): void {
    if (input.endDate && input.endDate < startDate) errors.add('input.endDate', `must not be before startDate ${startDate}`);
    for (const field of ['budget', 'targetGmv'] as const) {
      const money = input[field];
      if (shop && money && money.currency !== shop.currency) errors.add(`input.${field}.currency`, `must be the shop currency ${shop.currency}`);
    }
  }

  /** Sets the campaign's products; each id must be a product of the campaign's shop. */
  private async replaceProducts(ctx: RequestContext, em: EntityManager, campaign: Campaign, inputIds: string[]): Promise<void> {
    const productIds = [...new Set(inputIds)];
    const found = productIds.length
      ? await em.getRepository(Product).find({ where: { id: In(productIds), shopId: campaign.shopId, agencyId: ctx.agencyId }, select: { id: true } })
      : [];
    const known = new Set(found.map((p) => p.id));
    const missing = new FieldErrorCollector();
    inputIds.forEach((id, i) => known.has(id) || missing.add(`input.productIds.${i}`, "no such product in the campaign's shop"));
    if (!missing.empty) throw new AppError(ErrorCode.NOT_FOUND, 'Product not found', { fields: missing.fields });
    await em.delete(CampaignProduct, { campaignId: campaign.id });
    if (productIds.length) {
      await em.insert(
        CampaignProduct,
        productIds.map((productId) => ({ campaignId: campaign.id, productId, agencyId: ctx.agencyId })),
      );
    }
  }
}
