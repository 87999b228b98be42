import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Node } from '../../common/node';
import { DateTime, URL } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { Campaign } from '../campaign/campaign.entity';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';

export enum ContentStatus {
  PLANNED = 'PLANNED',
  SUBMITTED = 'SUBMITTED',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  APPROVED = 'APPROVED',
  LIVE = 'LIVE',
  REMOVED = 'REMOVED',
}

registerEnumType(ContentStatus, { name: 'ContentStatus' });

export enum ContentFormat {
  VIDEO = 'VIDEO',
  LIVE = 'LIVE',
}
registerEnumType(ContentFormat, { name: 'ContentFormat' });

/** A video (or LIVE session) a creator makes for one enrollment. */
@ObjectType({ implements: Node, description: 'A video (or LIVE session) a creator makes for one enrollment, reviewed before it goes live.' })
@Entity('content')
@Index('IDX_content_agency_campaign', ['agencyId', 'campaignId', 'createdAt', 'id'])
@Index('IDX_content_agency_creator', ['agencyId', 'creatorId', 'createdAt', 'id'])
@Index('IDX_content_enrollment', ['enrollmentId'])
// A posted video belongs to one piece of content per shop; the sales ledger attributes by it.
@Index('UQ_content_agency_shop_video', ['agencyId', 'shopId', 'videoId'], { unique: true, where: '"video_id" IS NOT NULL' })
export class Content implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  @Column('uuid')
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn()
  campaign?: Campaign;

  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => CampaignEnrollment, { onDelete: 'CASCADE' })
  @JoinColumn()
  enrollment?: CampaignEnrollment;

  @Column('uuid')
  creatorId: string;

  @ManyToOne(() => Creator, { onDelete: 'CASCADE' })
  @JoinColumn()
  creator?: Creator;

  @Column('uuid', { nullable: true })
  productId: string | null;

  @ManyToOne(() => Product, { onDelete: 'SET NULL' })
  @JoinColumn()
  product?: Product;

  @Field(() => ContentFormat)
  @Column({ type: 'enum', enum: ContentFormat, enumName: 'content_format', default: ContentFormat.VIDEO })
  format: ContentFormat;

  @Field(() => ContentStatus)
  @Column({ type: 'enum', enum: ContentStatus, enumName: 'content_status', default: ContentStatus.PLANNED })
  status: ContentStatus;

  @Field(() => Int, { description: 'Starts at 1; each resubmission after CHANGES_REQUESTED adds one.' })
  @Column('int', { default: 1 })
  revision: number;

  @Field(() => String, { nullable: true, description: 'TikTok video (or LIVE session) id once posted.' })
  @Column('varchar', { nullable: true })
  videoId: string | null;

  @Field(() => URL, { nullable: true })
  @Column('text', { nullable: true })
  url: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  caption: string | null;

  @Field(() => DateTime, { nullable: true, description: "When it must be live; when null, the end of the enrollment's contentDueDate in the shop's time zone." })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  @Field(() => DateTime, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  postedAt: Date | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** When the current revision was submitted (null while PLANNED). */
  @Field(() => DateTime, { nullable: true, description: 'When the current revision was submitted.' })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  /** submittedAt plus the agency's review SLA (settings.contentReviewSlaHours, default 48 h). */
  @Field(() => DateTime, { nullable: true, description: "When the current revision's review is due: submittedAt plus the agency's review SLA." })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  reviewDueAt: Date | null;

  /** Set by the overdue sweep once it has announced an overdue review of this revision. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  reviewOverdueNotifiedAt: Date | null;

  /** Set by the overdue sweep once it has announced an overdue post. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  postOverdueNotifiedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

// A client viewer sees the content of their client's campaigns.
registerClientScope(Content, (a) => `"${a}"."campaign_id" IN (SELECT c.id FROM campaigns c WHERE c.client_id = :__clientScope)`);
