import { RequestContext } from '../../common/context';
import { AppError } from '../../common/errors';
import { parseGlobalId } from '../../common/global-id';
import { Node, nodeType } from '../../common/node';
import { MAX_PAGE_SIZE } from '../../common/pagination';

export class NodeService {
  /**
   * Resolves a global id through the type's agency-scoped loader, so many ids of one type are
   * one statement and another agency's ids come back null, like ids that never existed.
   */
  async get(ctx: RequestContext, id: string, path: string): Promise<Node | null> {
    const decoded = parseGlobalId(id);
    const type = decoded && nodeType(decoded.typeName);
    if (!decoded || !type) throw AppError.badField(path, 'Not an id this API issued');
    ctx.agencyId; // unauthenticated callers get UNAUTHENTICATED, not null
    // Admin-only types (API keys, audit entries) look like ids that do not exist to everyone else.
    if (!ctx.viewer?.permissions.has(type.permission)) return null;
    return (await ctx.loaders.byId(type.entity).load(decoded.key)) as Node | null;
  }

  getMany(ctx: RequestContext, ids: string[]): Promise<Array<Node | null>> {
    if (ids.length > MAX_PAGE_SIZE) throw AppError.badField('ids', `at most ${MAX_PAGE_SIZE} ids`);
    // Each id resolves on its own: a malformed one is an error at its index, not for the whole list.
    return Promise.all(ids.map((id, i) => this.get(ctx, id, `ids.${i}`).catch((err: Error) => err as unknown as Node)));
  }
}
