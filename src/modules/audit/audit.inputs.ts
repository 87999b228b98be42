import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { DateTime } from '../../common/scalars';
import { AuditEntry } from './audit-entry.entity';

export const AuditEntryConnection = ConnectionType(AuditEntry);

@InputType()
export class AuditLogFilter {
  @Field(() => ID, { nullable: true, description: 'Mutations by this member.' })
  memberId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Mutations by this API key.' })
  apiKeyId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Mutation names, e.g. ["createCampaign"].' })
  @ArrayMaxSize(50)
  operations?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Mutations that wrote this object.' })
  targetId?: string | null;

  @Field(() => DateTime, { nullable: true, description: 'From this instant (inclusive).' })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'Before this instant.' })
  to?: Date | null;
}
