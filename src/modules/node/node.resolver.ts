import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Permission } from '../../common/access';
import { RequestContext } from '../../common/context';
import { ListBound } from '../../common/limits';
import { Node } from '../../common/node';
import { MAX_PAGE_SIZE } from '../../common/pagination';
import { NodeService } from './node.service';

@Resolver()
export class NodeResolver {
  private readonly nodeService = new NodeService();

  @Authorized(Permission.READ)
  @Query(() => Node, { nullable: true, description: "Any object by its global id; null when it does not exist or is not the caller's." })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Node | null> {
    return this.nodeService.get(ctx, id, 'id');
  }

  @Authorized(Permission.READ)
  @Query(() => [Node], {
    nullable: 'items',
    description: 'Objects by global id (at most 100), in order; null where not found.',
  })
  // Costs as many objects as ids asked for (read by the query-cost limit).
  @ListBound(MAX_PAGE_SIZE, 'ids')
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext): Promise<Array<Node | null>> {
    return this.nodeService.getMany(ctx, ids);
  }
}
