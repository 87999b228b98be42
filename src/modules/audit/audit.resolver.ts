import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root, Info } from 'type-graphql';
import { Permission } from '../../common/access';
import { withCountHint } from '../../common/pagination';
import { RequestContext } from '../../common/context';
import { NodeResolver } from '../../common/node';
import { Connection, PageArgs } from '../../common/pagination';
import { ApiKey } from '../api-key/api-key.entity';
import { Member } from '../member/member.entity';
import { AuditEntry } from './audit-entry.entity';
import { AuditEntryConnection, AuditLogFilter } from './audit.inputs';
import { AuditService } from './audit.service';

@Resolver(() => AuditEntry)
export class AuditResolver extends NodeResolver(AuditEntry, Permission.ADMIN) {
  private readonly audit = new AuditService();

  @Authorized(Permission.ADMIN)
  @Query(() => AuditEntryConnection, { description: 'Successful mutations of the agency, newest first (admins only).' })
  auditLog(
    @Args() page: PageArgs,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<AuditEntry>> {
    return this.audit.list(ctx, withCountHint(page, info), filter);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'The member who made the change (null for API keys).' })
  member(@Root() entry: AuditEntry, @Ctx() ctx: RequestContext): Promise<Member | null> | null {
    return entry.memberId ? ctx.loaders.byId(Member).load(entry.memberId) : null;
  }

  @FieldResolver(() => ApiKey, { nullable: true, description: 'The API key that made the change.' })
  apiKey(@Root() entry: AuditEntry, @Ctx() ctx: RequestContext): Promise<ApiKey | null> | null {
    return entry.apiKeyId ? ctx.loaders.byId(ApiKey).load(entry.apiKeyId) : null;
  }
}
