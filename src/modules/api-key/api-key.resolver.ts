import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ApiScope, Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { NodeResolver } from '../../common/node';
import { ApiKey } from './api-key.entity';
import { CreatedApiKey } from './api-key.inputs';
import { ApiKeyService, MAX_API_KEYS_LISTED } from './api-key.service';

@Resolver(() => ApiKey)
export class ApiKeyResolver extends NodeResolver(ApiKey, Permission.ADMIN) {
  private readonly apiKeyService = new ApiKeyService();

  @Authorized(Permission.ADMIN)
  @Query(() => [ApiKey], { description: "The agency's API keys, newest first, revoked ones included." })
  @ListBound(MAX_API_KEYS_LISTED)
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return this.apiKeyService.list(ctx);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => CreatedApiKey, {
    description: 'READ: read everything (like an analyst); WRITE: client-work mutations; INGEST: ingest mutations only; ALERTS: alert queries and subscriptions only.',
  })
  createApiKey(
    @Arg('name') name: string,
    @Arg('scopes', () => [ApiScope]) scopes: ApiScope[],
    @Ctx() ctx: RequestContext,
  ): Promise<CreatedApiKey> {
    return this.apiKeyService.create(ctx, name, scopes);
  }

  @Authorized(Permission.ADMIN)
  @Mutation(() => ApiKey, { description: 'Takes effect on the next request made with the key.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    return this.apiKeyService.revoke(ctx, id);
  }
}
