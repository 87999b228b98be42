import { findOwned, RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { Connection, CREATED_ORDER, fetchConnection, ListSpec, orderedBy, PageArgs, SortKey } from '../../common/pagination';
import { isUniqueViolation, likePattern } from '../../common/sql';
import { Creator, CreatorTier } from './creator.entity';
import { CreateCreatorInput, CreatorFilter, CreatorOrder, CreatorOrderField, UpdateCreatorInput } from './creator.inputs';
import { scopedQuery } from '../../common/tenancy';
import { validateInput } from '../../common/validation';
import { isBlank } from '../../common/inputs';
import { todayUtc } from '../../common/clock';
import { ensureTiersFresh } from './tiers';

const ORDER_COLUMNS: Record<CreatorOrderField, Omit<SortKey, 'direction'>> = {
  [CreatorOrderField.HANDLE]: { column: 'handle', kind: 'text', property: 'handle' },
  [CreatorOrderField.FOLLOWER_COUNT]: { column: 'follower_count', kind: 'int', property: 'followerCount' },
  [CreatorOrderField.CREATED_AT]: { column: 'created_at', kind: 'timestamp', property: 'createdAt' },
};

/** An optional text with nothing visible in it is stored as absent. */
function blankToNull(value: string | null | undefined): string | null {
  return value && !isBlank(value) ? value.trim() : null;
}

function normalizeNiches(niches: string[]): string[] {
  return [...new Set(niches.filter((n) => !isBlank(n)).map((n) => n.trim().toLowerCase()))];
}

export function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

export class CreatorService {
  spec(ctx: RequestContext, filter?: CreatorFilter | null, order?: CreatorOrder | null): ListSpec<Creator> {
    const keys: SortKey[] = order ? orderedBy(ORDER_COLUMNS[order.field], order.direction) : CREATED_ORDER;
    const notIn = filter?.notEnrolledInCampaignId ? decodeId('Campaign', filter.notEnrolledInCampaignId, 'filter.notEnrolledInCampaignId') : undefined;
    return {
      keys,
      query: () => {
        const qb = scopedQuery(ctx, Creator, 'creator');
        if (filter?.search) {
          qb.andWhere('(creator.handle ILIKE :search OR creator.displayName ILIKE :search)', {
            search: likePattern(filter.search.trim().replace(/^@/, '')),
          });
        }
        if (filter?.niches?.length) qb.andWhere('creator.niches && :niches', { niches: normalizeNiches(filter.niches) });
        if (filter?.minFollowers !== null && filter?.minFollowers !== undefined) {
          qb.andWhere('creator.followerCount >= :minFollowers', { minFollowers: filter.minFollowers });
        }
        if (filter?.region) qb.andWhere('creator.region = :region', { region: filter.region.toUpperCase() });
        if (filter?.tiers?.length) qb.andWhere('creator.tier IN (:...tiers)', { tiers: filter.tiers });
        if (filter?.tags?.length) qb.andWhere('creator.tags && :tags', { tags: normalizeNiches(filter.tags) });
        if (filter?.maxFollowers !== null && filter?.maxFollowers !== undefined) {
          qb.andWhere('creator.followerCount <= :maxFollowers', { maxFollowers: filter.maxFollowers });
        }
        if (filter?.minEngagementRate !== null && filter?.minEngagementRate !== undefined) {
          qb.andWhere('creator.engagementRate >= :minEngagementRate', { minEngagementRate: filter.minEngagementRate });
        }
        if (filter?.maxEngagementRate !== null && filter?.maxEngagementRate !== undefined) {
          qb.andWhere('creator.engagementRate <= :maxEngagementRate', { maxEngagementRate: filter.maxEngagementRate });
        }
        // Another agency's campaign has no enrollments here: every creator passes, as for an unknown id.
        if (notIn) {
          qb.andWhere('NOT EXISTS (SELECT 1 FROM campaign_enrollments ne WHERE ne.creator_id = creator.id AND ne.campaign_id = :notIn)', { notIn });
        }
        return qb;
      },
    };
  }

  async list(ctx: RequestContext, page: PageArgs, filter?: CreatorFilter | null, order?: CreatorOrder | null): Promise<Connection<Creator>> {
    // Filtering by tier reads the stored tiers: bring them up to today first (once a day, see tiers.ts).
    if (filter?.tiers?.length) await ensureTiersFresh(ctx);
    return fetchConnection(this.spec(ctx, filter, order), page);
  }

  /** creator(id:): like node(id:), null for missing ids and for creators the caller may not see. */
  find(ctx: RequestContext, globalId: string): Promise<Creator | null> {
    return ctx.loaders.byId(Creator).load(decodeId('Creator', globalId));
  }

  /**
   * creatorByHandle(handle:): handles are stored lower-cased without '@' (unique per agency), so
   * "@Glow.Lab" finds "glow.lab" through the unique index. Batched: many aliases, one statement.
   */
  findByHandle(ctx: RequestContext, handle: string): Promise<Creator | null> {
    return ctx.loaders
      .get<string, Creator | null>('Creator.byHandle', async (handles) => {
        const rows = await scopedQuery(ctx, Creator, 'creator').andWhere('creator.handle IN (:...handles)', { handles }).getMany();
        const byHandle = new Map(rows.map((row) => [row.handle, row]));
        return handles.map((h) => byHandle.get(h) ?? null);
      })
      .load(normalizeHandle(handle));
  }

  async create(ctx: RequestContext, input: CreateCreatorInput): Promise<Creator> {
    const handle = normalizeHandle(input.handle);
    try {
      return await ctx.transaction((em) =>
        em.save(
          em.create(Creator, {
            agencyId: ctx.agencyId,
            handle,
            displayName: blankToNull(input.displayName),
            followerCount: input.followerCount,
            engagementRate: input.engagementRate ?? null,
            niches: normalizeNiches(input.niches ?? []),
            region: input.region?.toUpperCase() ?? null,
            email: input.email?.toLowerCase() ?? null,
            // Just added, so no sales yet: NEW as of today (tiers.ts).
            tier: CreatorTier.NEW,
            tierAsOf: todayUtc(),
          }),
        ),
      );
    } catch (err) {
      if (isUniqueViolation(err, 'uq_creators_agency_handle')) {
        throw AppError.conflict(`A creator with handle ${handle} already exists`, { 'input.handle': ['already in use'] });
      }
      throw err;
    }
  }

  async update(ctx: RequestContext, globalId: string, input: UpdateCreatorInput): Promise<Creator> {
    const id = decodeId('Creator', globalId);
    const errors = await validateInput(input, 'input');
    if (input.followerCount === null) errors.add('input.followerCount', 'cannot be cleared');
    errors.throwIfAny();
    return ctx.transaction(async (em) => {
      const creator = await findOwned(ctx, em, Creator, id);
      if (input.displayName !== undefined) creator.displayName = blankToNull(input.displayName);
      if (input.followerCount !== undefined && input.followerCount !== null) creator.followerCount = input.followerCount;
      if (input.engagementRate !== undefined) creator.engagementRate = input.engagementRate;
      if (input.niches !== undefined) creator.niches = normalizeNiches(input.niches ?? []);
      if (input.region !== undefined) creator.region = input.region?.toUpperCase() ?? null;
      if (input.email !== undefined) creator.email = input.email?.toLowerCase() ?? null;
      return em.save(creator);
    });
  }
}
