import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { Creator } from '../creator/creator.entity';
import { Member } from '../member/member.entity';

export enum OutreachChannel {
  EMAIL = 'EMAIL',
  TIKTOK_DM = 'TIKTOK_DM',
  WHATSAPP = 'WHATSAPP',
  OTHER = 'OTHER',
}
registerEnumType(OutreachChannel, { name: 'OutreachChannel' });

export enum OutreachReplyStatus {
  NO_REPLY = 'NO_REPLY',
  INTERESTED = 'INTERESTED',
  NOT_INTERESTED = 'NOT_INTERESTED',
  OTHER = 'OTHER',
}
registerEnumType(OutreachReplyStatus, { name: 'OutreachReplyStatus' });

/** A message template of the agency; variables are checked when it is saved (see templates.ts). */
@ObjectType({ implements: Node, description: 'An outreach message template with {{variables}}, rendered server-side.' })
@Entity('outreach_templates')
@Index('IDX_outreach_templates_agency', ['agencyId', 'createdAt', 'id'])
export class OutreachTemplate implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Field()
  @Column()
  name: string;

  @Field(() => OutreachChannel)
  @Column({ type: 'enum', enum: OutreachChannel, enumName: 'outreach_channel' })
  channel: OutreachChannel;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  subject: string | null;

  @Field()
  @Column('text')
  body: string;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One message sent to one creator (rendered from a template), and what came back. */
@ObjectType({ implements: Node, description: 'One outreach message to a creator and its reply status.' })
@Entity('outreach_messages')
@Index('IDX_outreach_messages_agency_creator', ['agencyId', 'creatorId', 'createdAt', 'id'])
@Index('IDX_outreach_messages_agency_campaign', ['agencyId', 'campaignId', 'createdAt', 'id'])
export class OutreachMessage implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  creatorId: string;

  @ManyToOne(() => Creator, { onDelete: 'CASCADE' })
  @JoinColumn()
  creator?: Creator;

  @Column('uuid', { nullable: true })
  campaignId: string | null;

  @ManyToOne(() => Campaign, { onDelete: 'SET NULL' })
  @JoinColumn()
  campaign?: Campaign;

  @Column('uuid', { nullable: true })
  enrollmentId: string | null;

  @ManyToOne(() => CampaignEnrollment, { onDelete: 'SET NULL' })
  @JoinColumn()
  enrollment?: CampaignEnrollment;

  @Column('uuid', { nullable: true })
  templateId: string | null;

  @ManyToOne(() => OutreachTemplate, { onDelete: 'SET NULL' })
  @JoinColumn()
  template?: OutreachTemplate;

  @Field(() => OutreachChannel)
  @Column({ type: 'enum', enum: OutreachChannel, enumName: 'outreach_channel' })
  channel: OutreachChannel;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  subject: string | null;

  @Field({ description: 'The message as rendered for this creator.' })
  @Column('text')
  message: string;

  @Field(() => DateTime)
  @Column({ type: 'timestamptz', precision: 3 })
  sentAt: Date;

  @Column('uuid', { nullable: true })
  sentById: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn()
  sentBy?: Member;

  @Field(() => OutreachReplyStatus)
  @Column({ type: 'enum', enum: OutreachReplyStatus, enumName: 'outreach_reply_status', default: OutreachReplyStatus.NO_REPLY })
  replyStatus: OutreachReplyStatus;

  @Field(() => DateTime, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  repliedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  replyNote: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** What the agency writes down about a creator; never shown to client viewers. */
@ObjectType({ description: 'A note about a creator, for the agency only.' })
@Entity('creator_notes')
@Index('IDX_creator_notes_agency_creator', ['agencyId', 'creatorId', 'createdAt', 'id'])
export class CreatorNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  creatorId: string;

  @ManyToOne(() => Creator, { onDelete: 'CASCADE' })
  @JoinColumn()
  creator?: Creator;

  @Column('uuid', { nullable: true })
  authorId: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn()
  author?: Member;

  @Field()
  @Column('text')
  body: string;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

// Outreach and notes are the agency's own: client viewers see none (no client scope registered
// for templates and notes); messages about their campaigns neither.
registerClientScope(OutreachMessage, () => 'FALSE');
