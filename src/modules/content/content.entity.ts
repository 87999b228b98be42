import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
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

export enum ContentFormat {
  VIDEO = 'VIDEO',
  LIVE = 'LIVE',
}

/** A video (or LIVE session) a creator makes for one enrollment. */
@Entity('content')
@Index('IDX_content_agency_campaign', ['agencyId', 'campaignId', 'createdAt', 'id'])
@Index('IDX_content_agency_creator', ['agencyId', 'creatorId', 'createdAt', 'id'])
@Index('IDX_content_enrollment', ['enrollmentId'])
// A posted video belongs to one piece of content per shop; the sales ledger attributes by it.
@Index('UQ_content_agency_shop_video', ['agencyId', 'shopId', 'videoId'], { unique: true, where: '"video_id" IS NOT NULL' })
export class Content {
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

  @Column({ type: 'enum', enum: ContentFormat, enumName: 'content_format', default: ContentFormat.VIDEO })
  format: ContentFormat;

  @Column({ type: 'enum', enum: ContentStatus, enumName: 'content_status', default: ContentStatus.PLANNED })
  status: ContentStatus;

  @Column('int', { default: 1 })
  revision: number;

  @Column('varchar', { nullable: true })
  videoId: string | null;

  @Column('text', { nullable: true })
  url: string | null;

  @Column('text', { nullable: true })
  caption: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  postedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
