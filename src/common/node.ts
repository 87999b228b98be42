import { ClassType, Field, FieldResolver, ID, InterfaceType, Resolver, Root } from 'type-graphql';
import { ObjectLiteral } from 'typeorm';
import { Permission } from './access';
import { toGlobalId } from './global-id';

@InterfaceType({ description: 'An object with a global id, fetchable with `node(id:)`.' })
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id.' })
  id: string;
}

export interface NodeTypeEntry {
  entity: ClassType<ObjectLiteral>;
  /** What the caller needs to fetch it through node(id): the same as its own root query. */
  permission: Permission;
}

const nodeTypes = new Map<string, NodeTypeEntry>();

export function nodeType(typeName: string): NodeTypeEntry | undefined {
  return nodeTypes.get(typeName);
}

/**
 * Base class of the resolver of every Node type: registers the type for `node(id:)` and
 * resolves `id` to the opaque global id of the row's uuid.
 */
export function NodeResolver<T extends { id: string }>(
  entity: ClassType<T>,
  permission: Permission = Permission.READ,
  /** The GraphQL type's name when it differs from the class's (OrderLine is Order). */
  typeName: string = entity.name,
) {
  nodeTypes.set(typeName, { entity, permission });

  @Resolver(() => entity)
  abstract class NodeResolverBase {
    @FieldResolver(() => ID)
    id(@Root() row: T): string {
      return toGlobalId(typeName, row.id);
    }
  }
  return NodeResolverBase;
}
