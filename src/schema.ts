import { defaultFieldResolver, GraphQLSchema } from 'graphql';
import type { RequestContext } from './common/context';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { authChecker } from './common/access';
import { validateArgument } from './common/validation';
import { ApiKeyResolver } from './modules/api-key/api-key.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { AgencyResolver } from './modules/agency/agency.resolver';
import { CampaignResolver } from './modules/campaign/campaign.resolver';
import { EnrollmentEventResolver, EnrollmentResolver } from './modules/campaign/enrollment.resolver';
import { BriefResolver, CampaignBriefResolver, EnrollmentBriefResolver } from './modules/content/brief.resolver';
import { EnrollmentSampleResolver, SampleResolver, SampleRoiResolver } from './modules/content/sample.resolver';
import { CreatorNoteResolver, CreatorOutreachResolver, OutreachMessageResolver, OutreachTemplateResolver } from './modules/outreach/outreach.resolver';
import { CampaignContentResolver, ContentResolver, ContentReviewResolver, CreatorContentResolver } from './modules/content/content.resolver';
import { ClientResolver } from './modules/client/client.resolver';
import { CreatorResolver } from './modules/creator/creator.resolver';
import { HealthResolver } from './modules/health/health.resolver';
import { MemberResolver } from './modules/member/member.resolver';
import {
  CampaignMetricsResolver,
  CreatorMetricsResolver,
  LeaderboardResolver,
  ProductMetricsResolver,
  ShopMetricsResolver,
} from './modules/metrics/metrics.resolver';
import { NodeResolver } from './modules/node/node.resolver';
import { ProductResolver } from './modules/product/product.resolver';
import { OrderResolver } from './modules/sales/order.resolver';
import { ShopResolver } from './modules/shop/shop.resolver';

export const resolvers = [
  NodeResolver,
  AgencyResolver,
  MemberResolver,
  ClientResolver,
  ShopResolver,
  HealthResolver,
  ProductResolver,
  CreatorResolver,
  CampaignResolver,
  EnrollmentResolver,
  EnrollmentEventResolver,
  ContentResolver,
  ContentReviewResolver,
  CampaignContentResolver,
  CreatorContentResolver,
  BriefResolver,
  CampaignBriefResolver,
  EnrollmentBriefResolver,
  SampleResolver,
  SampleRoiResolver,
  EnrollmentSampleResolver,
  OutreachTemplateResolver,
  OutreachMessageResolver,
  CreatorNoteResolver,
  CreatorOutreachResolver,
  ApiKeyResolver,
  AuditResolver,
  OrderResolver,
  ShopMetricsResolver,
  ProductMetricsResolver,
  CampaignMetricsResolver,
  CreatorMetricsResolver,
  LeaderboardResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global). */
export function buildAppSchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  if (emitSchemaFile) {
    useDefaultResolvers();
    return buildSchema({ resolvers, authChecker, validateFn: validateArgument, emitSchemaFile: { path: emitSchemaFile, sortedSchema: false } });
  }
  return (built ??= (useDefaultResolvers(), buildSchema({ resolvers, authChecker, validateFn: validateArgument }).then(nameMutationsForAudit)));
}

/**
 * Tells the request context which mutation is running, for its audit entry: a wrapper on each
 * root mutation field (mutations run one at a time), instead of a hook on every resolved field.
 */
function nameMutationsForAudit(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, ctx: RequestContext, info) => {
      ctx.beginMutation(field.name);
      return resolve(source, args, ctx, info);
    };
  }
  return schema;
}

/**
 * Plain object fields (no middleware, no @Authorized, same name in schema and class) resolve with
 * graphql-js's default resolver instead of type-graphql's wrapper, which allocates per field:
 * on a list of 18,000 rows that is tens of thousands of closures and promises saved.
 */
function useDefaultResolvers(): void {
  for (const field of getMetadataStorage().fields) {
    if (field.simple === undefined && !field.middlewares?.length && !field.roles && field.schemaName === field.name) field.simple = true;
  }
}
