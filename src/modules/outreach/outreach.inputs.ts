import { ArrayMaxSize, Length } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { NotBlank } from '../../common/inputs';
import { ListBound } from '../../common/limits';
import { ConnectionType } from '../../common/pagination';
import { DateTime } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { OutreachChannel, OutreachMessage, OutreachReplyStatus, OutreachTemplate } from './outreach.entities';

export const OutreachTemplateConnection = ConnectionType(OutreachTemplate);
export const OutreachMessageConnection = ConnectionType(OutreachMessage);

export const MAX_INVITES = 500;
export const MAX_TAGS = 20;
export const MAX_NOTES_PER_CREATOR = 200;

@InputType({ description: 'Variables: {{creator.handle}}, {{creator.displayName}}, {{campaign.name}}, {{product.title}}, {{commissionRate}}, {{contentDueDate}}.' })
@ValidatedByService()
export class OutreachTemplateInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => OutreachChannel)
  channel: OutreachChannel;

  @Field(() => String, { nullable: true })
  @Length(0, 200)
  subject?: string | null;

  @Field()
  @Length(1, 2000)
  @NotBlank()
  body: string;
}

@ObjectType()
export class InviteCreatorsResult {
  @Field(() => [CampaignEnrollment], { description: 'Enrollments this call made (INVITED), in the order of creatorIds.' })
  @ListBound(MAX_INVITES, 'creatorIds')
  invited: CampaignEnrollment[];

  @Field(() => [CampaignEnrollment], { description: 'Creators who were already enrolled: left as they were, sent nothing.' })
  @ListBound(MAX_INVITES, 'creatorIds')
  alreadyEnrolled: CampaignEnrollment[];

  @Field(() => [OutreachMessage], { description: 'One message per invited creator, rendered from the template.' })
  @ListBound(MAX_INVITES, 'creatorIds')
  messages: OutreachMessage[];
}

@InputType()
export class OutreachReplyInput {
  @Field(() => OutreachReplyStatus)
  status: OutreachReplyStatus;

  @Field(() => String, { nullable: true })
  @Length(0, 2000)
  note?: string | null;

  @Field(() => DateTime, { nullable: true, description: 'Defaults to now.' })
  repliedAt?: Date | null;
}

@InputType()
export class CreatorTagsInput {
  @Field(() => [String])
  @ArrayMaxSize(MAX_TAGS)
  @Length(1, 50, { each: true })
  tags: string[];
}
