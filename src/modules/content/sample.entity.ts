import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintMinorTransformer, Money } from '../../common/money';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { CampaignEnrollment } from '../campaign/enrollment.entity';
import { Product } from '../product/product.entity';

/** Product sent to a creator for one enrollment: what, how many, what it cost, how it travelled. */
@ObjectType({ implements: Node, description: 'Product seeded to a creator for one enrollment.' })
@Entity('samples')
@Index('IDX_samples_agency_enrollment', ['agencyId', 'enrollmentId', 'createdAt', 'id'])
@Index('IDX_samples_agency_campaign_shipped', ['agencyId', 'campaignId', 'shippedAt'])
@Index('IDX_samples_agency_creator', ['agencyId', 'creatorId'])
export class Sample implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => CampaignEnrollment, { onDelete: 'CASCADE' })
  @JoinColumn()
  enrollment?: CampaignEnrollment;

  /** Denormalised from the enrollment: samples are summed per campaign and per creator. */
  @Column('uuid')
  campaignId: string;

  @Column('uuid')
  creatorId: string;

  @Column('uuid', { nullable: true })
  productId: string | null;

  @ManyToOne(() => Product, { onDelete: 'SET NULL' })
  @JoinColumn()
  product?: Product;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Column('bigint', { transformer: bigintMinorTransformer })
  costMinor: number;

  @Column('char', { length: 3 })
  currency: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { nullable: true })
  carrier: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { nullable: true })
  trackingNumber: string | null;

  @Field(() => DateTime, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  shippedAt: Date | null;

  @Field(() => DateTime, { nullable: true })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Field(() => Money, { description: "What the sample cost the brand: the product's unit cost times quantity, unless given." })
  get cost(): Money {
    return new Money(this.costMinor, this.currency);
  }

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(Sample, (a) => `"${a}"."campaign_id" IN (SELECT c.id FROM campaigns c WHERE c.client_id = :__clientScope)`);
