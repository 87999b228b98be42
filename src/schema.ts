import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { validateArgument } from './common/validation';
import { AgencyResolver } from './modules/agency/agency.resolver';
import { CampaignResolver } from './modules/campaign/campaign.resolver';
import { EnrollmentResolver } from './modules/campaign/enrollment.resolver';
import { ClientResolver } from './modules/client/client.resolver';
import { CreatorResolver } from './modules/creator/creator.resolver';
import { MemberResolver } from './modules/member/member.resolver';
import { NodeResolver } from './modules/node/node.resolver';
import { ProductResolver } from './modules/product/product.resolver';
import { ShopResolver } from './modules/shop/shop.resolver';

export const resolvers = [
  NodeResolver,
  AgencyResolver,
  MemberResolver,
  ClientResolver,
  ShopResolver,
  ProductResolver,
  CreatorResolver,
  CampaignResolver,
  EnrollmentResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global). */
export function buildAppSchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  if (emitSchemaFile) {
    return buildSchema({ resolvers, validateFn: validateArgument, emitSchemaFile: { path: emitSchemaFile, sortedSchema: false } });
  }
  return (built ??= buildSchema({ resolvers, validateFn: validateArgument }));
}
