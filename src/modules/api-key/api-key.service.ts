import { RequestContext } from '../../common/context';
import { findOwned } from '../../common/context';
import { FieldErrorCollector } from '../../common/errors';
import { decodeId } from '../../common/global-id';
import { scopedQuery } from '../../common/tenancy';
import { ApiScope } from '../../common/access';
import { ApiKey } from './api-key.entity';
import { CreatedApiKey } from './api-key.inputs';
import { newApiKeySecret } from './api-key.secrets';
import { isBlank } from '../../common/inputs';

/** apiKeys lists at most this many (the newest): a real bound for the query-cost estimate. */
export const MAX_API_KEYS_LISTED = 100;

export class ApiKeyService {
  list(ctx: RequestContext): Promise<ApiKey[]> {
    return scopedQuery(ctx, ApiKey, 'key').orderBy('key.createdAt', 'DESC').addOrderBy('key.id', 'DESC').take(MAX_API_KEYS_LISTED).getMany();
  }

  /** Creates a key; the secret is returned here once and only its SHA-256 is stored. */
  async create(ctx: RequestContext, name: string, scopes: ApiScope[]): Promise<CreatedApiKey> {
    const trimmed = name.trim();
    const errors = new FieldErrorCollector();
    if (isBlank(trimmed) || trimmed.length > 100) errors.add('name', 'must be 1 to 100 characters');
    if (scopes.length === 0) errors.add('scopes', 'give at least one scope');
    errors.throwIfAny();
    const { secret, prefix, hash } = newApiKeySecret();
    const apiKey = await ctx.transaction((em) =>
      em.save(
        em.create(ApiKey, {
          agencyId: ctx.agencyId,
          name: trimmed,
          scopes: [...new Set(scopes)],
          prefix,
          secretHash: hash,
          createdById: ctx.viewer?.memberId ?? null,
          lastUsedAt: null,
          revokedAt: null,
        }),
      ),
    );
    return { apiKey, secret };
  }

  /** Revokes a key: the next request with it is refused. Revoking twice keeps the first time. */
  async revoke(ctx: RequestContext, globalId: string): Promise<ApiKey> {
    const id = decodeId('ApiKey', globalId);
    return ctx.transaction(async (em) => {
      const key = await findOwned(ctx, em, ApiKey, id, 'id', true);
      key.revokedAt ??= new Date();
      return em.save(key);
    });
  }
}
