import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Money } from '../../common/money';
import { Node } from '../../common/node';
import { DateTime, LocalDate } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { Campaign } from '../campaign/campaign.entity';
import { Content } from '../content/content.entity';
import { Creator } from '../creator/creator.entity';
import { Product } from '../product/product.entity';
import { Shop } from '../shop/shop.entity';

/**
 * The sales ledger: raw facts, each upserted by its natural key. What a line contributes to
 * money (commission, platform fee, COGS) is decided once at ingest and stored on the line, so
 * rollups sum stored figures and a rebuild from these rows gives the same numbers.
 * Money columns are bigint minor units; TypeORM hands bigint back as strings (parse with Number:
 * every amount here is within Number.MAX_SAFE_INTEGER, checked at ingest).
 */

export enum OrderStatus {
  PLACED = 'PLACED',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  CANCELLED = 'CANCELLED',
  REFUNDED = 'REFUNDED',
}

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order line stands. Platform statuses map onto these (see OrderInput.platformStatus).',
});

export enum OrderContentType {
  VIDEO = 'VIDEO',
  LIVE = 'LIVE',
  SHOWCASE = 'SHOWCASE',
  OTHER = 'OTHER',
}
registerEnumType(OrderContentType, { name: 'OrderContentType', description: 'Where the affiliate sale came from.' });

/** One order line from TikTok Shop with its attribution, upserted by (agency, shop, externalId). */
@ObjectType('Order', { implements: Node, description: 'One order line from TikTok Shop, with its affiliate attribution.' })
@Entity('order_lines')
@Check('CHK_order_lines_quantity', '"quantity" >= 1')
@Check('CHK_order_lines_money', '"gmv_minor" >= 0 AND "refunded_minor" >= 0 AND "refunded_minor" <= "gmv_minor"')
@Index('UQ_order_lines_agency_shop_external', ['agencyId', 'shopId', 'externalId'], { unique: true })
@Index('IDX_order_lines_agency_shop_day', ['agencyId', 'shopId', 'orderDay'])
@Index('IDX_order_lines_agency_shop_placed', ['agencyId', 'shopId', 'placedAt', 'id'])
@Index('IDX_order_lines_agency_shop_order', ['agencyId', 'shopId', 'orderId'])
@Index('IDX_order_lines_agency_creator_day', ['agencyId', 'creatorId', 'orderDay'], { where: '"creator_id" IS NOT NULL' })
@Index('IDX_order_lines_agency_campaign_day', ['agencyId', 'campaignId', 'orderDay'], { where: '"campaign_id" IS NOT NULL' })
export class OrderLine implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  /** The line's id on the platform (18–19 digits, kept as text). */
  @Field({ description: "The line's id on the platform (18–19 digits, as text)." })
  @Column('varchar')
  externalId: string;

  /** The platform order id several lines share; the line's own id when none was given. */
  @Field({ description: 'The platform order id the line belongs to; several lines may share it (metrics count distinct orders).' })
  @Column('varchar')
  orderId: string;

  @Column('uuid', { nullable: true })
  productId: string | null;

  @ManyToOne(() => Product, { onDelete: 'SET NULL' })
  @JoinColumn()
  product?: Product;

  @Column('uuid', { nullable: true })
  creatorId: string | null;

  @ManyToOne(() => Creator, { onDelete: 'SET NULL' })
  @JoinColumn()
  creator?: Creator;

  @Column('uuid', { nullable: true })
  campaignId: string | null;

  @ManyToOne(() => Campaign, { onDelete: 'SET NULL' })
  @JoinColumn()
  campaign?: Campaign;

  @Column('uuid', { nullable: true })
  contentId: string | null;

  @ManyToOne(() => Content, { onDelete: 'SET NULL' })
  @JoinColumn()
  content?: Content;

  @Field(() => String, { nullable: true, description: 'The TikTok video the sale came from, when the platform says.' })
  @Column('varchar', { nullable: true })
  videoId: string | null;

  @Field(() => OrderContentType, { nullable: true })
  @Column({ type: 'enum', enum: OrderContentType, enumName: 'order_content_type', nullable: true })
  contentType: OrderContentType | null;

  @Field(() => OrderStatus)
  @Column({ type: 'enum', enum: OrderStatus, enumName: 'order_status' })
  status: OrderStatus;

  /** The status as the platform sent it, where it explains the mapped one (e.g. CANCEL). */
  @Field(() => String, { nullable: true, description: 'The status as the platform sent it (e.g. CANCEL, IN_TRANSIT), when it did.' })
  @Column('varchar', { nullable: true })
  platformStatus: string | null;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Column('char', { length: 3 })
  currency: string;

  @Column('bigint')
  gmvMinor: string;

  @Column('bigint', { default: 0 })
  refundedMinor: string;

  /** Free sample orders: never GMV, never commission; counted as sample cost. */
  @Field({ description: 'A free sample order: never GMV nor commission; counted as sample cost.' })
  @Column('boolean', { default: false })
  isSample: boolean;

  /** The rate the platform reported for this affiliate line, if it did. */
  @Column('int', { nullable: true })
  reportedCommissionRateBps: number | null;

  @Field(() => DateTime)
  @Column({ type: 'timestamptz', precision: 3 })
  placedAt: Date;

  /** placedAt as a calendar day in the shop's time zone: the bucket every figure counts in. */
  @Field(() => LocalDate, { description: "placedAt as a calendar day in the shop's time zone: the day every figure of the line counts on." })
  @Column('date')
  orderDay: string;

  // Decided at ingest (see rules.ts), summed by the rollups.
  @Field(() => Int, {
    description: "The commission rate applied, in basis points: the line's reported rate, else the enrollment's, else the campaign's, else the shop's default.",
  })
  @Column('int', { default: 0 })
  commissionRateBps: number;

  @Column('bigint', { default: 0 })
  commissionMinor: string;

  @Column('int', { default: 0 })
  platformFeeBps: number;

  @Column('bigint', { default: 0 })
  platformFeeMinor: string;

  /** The product's unit cost when the line was ingested; null: COGS unknown for this line. */
  @Column('bigint', { nullable: true })
  unitCostMinor: string | null;

  @Field(() => Money, { description: 'Gross merchandise value of the line (0 for free samples).' })
  get gmv(): Money {
    return new Money(Number(this.gmvMinor), this.currency);
  }

  @Field(() => Money, { description: 'What was refunded of the line so far (partial refunds keep the GMV and deduct this).' })
  get refundedAmount(): Money {
    return new Money(Number(this.refundedMinor), this.currency);
  }

  @Field(() => Money, { description: 'Affiliate commission: (GMV − refunded) × rate, rounded half to even; 0 for cancelled, sample and unattributed lines.' })
  get commission(): Money {
    return new Money(Number(this.commissionMinor), this.currency);
  }

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

registerClientScope(OrderLine, (a) => `"${a}"."shop_id" IN (SELECT s.id FROM shops s WHERE s.client_id = :__clientScope)`);

/** Daily engagement and ad spend of one video or one campaign, upserted by (shop, date, subject). */
@Entity('daily_stats')
@Index('UQ_daily_stats_agency_shop_date_subject', ['agencyId', 'shopId', 'date', 'subjectKey'], { unique: true })
export class DailyStat {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  @Column('date')
  date: string;

  /** 'video:<videoId>' or 'campaign:<campaignId>': the natural key's subject. */
  @Column('varchar')
  subjectKey: string;

  @Column('varchar', { nullable: true })
  videoId: string | null;

  @Column('uuid', { nullable: true })
  campaignId: string | null;

  @ManyToOne(() => Campaign, { onDelete: 'SET NULL' })
  @JoinColumn()
  campaign?: Campaign;

  @Column('uuid', { nullable: true })
  creatorId: string | null;

  @ManyToOne(() => Creator, { onDelete: 'SET NULL' })
  @JoinColumn()
  creator?: Creator;

  @Column('uuid', { nullable: true })
  contentId: string | null;

  @ManyToOne(() => Content, { onDelete: 'SET NULL' })
  @JoinColumn()
  content?: Content;

  @Column('bigint', { default: 0 })
  views: string;

  @Column('bigint', { default: 0 })
  likes: string;

  @Column('bigint', { default: 0 })
  comments: string;

  @Column('bigint', { default: 0 })
  shares: string;

  @Column('bigint', { default: 0 })
  clicks: string;

  @Column('bigint', { default: 0 })
  adSpendMinor: string;

  @Column('char', { length: 3 })
  currency: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** One account-health snapshot per (shop, date); risks are judged on read against the agency's thresholds. */
@Entity('shop_health')
export class ShopHealthSnapshot {
  @PrimaryColumn('uuid')
  agencyId: string;

  @PrimaryColumn('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  @PrimaryColumn('date')
  date: string;

  @Column('double precision', { nullable: true })
  lateDispatchRate: number | null;

  @Column('double precision', { nullable: true })
  validTrackingRate: number | null;

  @Column('double precision', { nullable: true })
  sellerFaultCancellationRate: number | null;

  @Column('double precision', { nullable: true })
  onTimeDeliveryRate: number | null;

  @Column('double precision', { nullable: true })
  refundRate: number | null;

  @Column('double precision', { nullable: true })
  shopPerformanceScore: number | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** What a rollup row is about: its dimension letter and the subject id it holds. */
export enum RollupDimension {
  SHOP = 'S', // subject_id ''
  CAMPAIGN = 'C', // campaign id
  CREATOR = 'R', // creator id
  PRODUCT = 'P', // product id
  VIDEO = 'V', // TikTok video id
  CAMPAIGN_CREATOR = 'E', // '<campaign id>:<creator id>': a creator's sales attributed to one campaign
}

/**
 * Daily rollup of the ledger per (shop, dimension, subject, day in the shop's time zone), kept in
 * step inside each ingest's transaction. Requests read these rows, never order_lines.
 */
@Entity('metric_rollups')
@Check('CHK_metric_rollups_dimension', `"dimension" IN ('S', 'C', 'R', 'P', 'V', 'E')`)
@Index('IDX_metric_rollups_agency_dimension_day', ['agencyId', 'dimension', 'day'])
@Index('IDX_metric_rollups_agency_dimension_subject_day', ['agencyId', 'dimension', 'subjectId', 'day'])
export class MetricRollup {
  @PrimaryColumn('uuid')
  agencyId: string;

  @PrimaryColumn('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  @PrimaryColumn('char', { length: 1 })
  dimension: RollupDimension;

  @PrimaryColumn('varchar')
  subjectId: string;

  @PrimaryColumn('date')
  day: string;

  @Column('char', { length: 3 })
  currency: string;

  @Column('bigint', { default: 0 }) gmvMinor: string;
  @Column('bigint', { default: 0 }) refundsMinor: string;
  @Column('int', { default: 0 }) orders: number;
  @Column('int', { default: 0 }) units: number;
  @Column('bigint', { default: 0 }) commissionsMinor: string;
  @Column('bigint', { default: 0 }) platformFeesMinor: string;
  @Column('bigint', { default: 0 }) cogsMinor: string;
  @Column('int', { default: 0 }) cogsMissingUnits: number;
  @Column('int', { default: 0 }) sampleUnits: number;
  @Column('bigint', { default: 0 }) sampleCostMinor: string;
  @Column('bigint', { default: 0 }) views: string;
  @Column('bigint', { default: 0 }) likes: string;
  @Column('bigint', { default: 0 }) comments: string;
  @Column('bigint', { default: 0 }) shares: string;
  @Column('bigint', { default: 0 }) clicks: string;
  @Column('bigint', { default: 0 }) adSpendMinor: string;
}
