import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintMinorTransformer, Money } from '../../common/money';
import { Node } from '../../common/node';
import { DateTime, LocalDate } from '../../common/scalars';
import { Shop } from '../shop/shop.entity';
import { registerClientScope } from '../../common/tenancy';

export enum CampaignObjective {
  SALES = 'SALES',
  AWARENESS = 'AWARENESS',
  LAUNCH = 'LAUNCH',
}
registerEnumType(CampaignObjective, { name: 'CampaignObjective' });

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(CampaignStatus, { name: 'CampaignStatus' });

@ObjectType({ implements: Node, description: 'A creator campaign for one shop.' })
@Entity('campaigns')
@Index(['shopId', 'createdAt', 'id'])
@Index(['agencyId', 'createdAt', 'id'])
export class Campaign implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  /** Denormalised from the shop's client, so campaigns filter by client without a join. */
  @Column('uuid')
  clientId: string;

  @Field()
  @Column()
  name: string;

  @Field(() => CampaignObjective)
  @Column({ type: 'enum', enum: CampaignObjective, enumName: 'campaign_objective' })
  objective: CampaignObjective;

  @Field(() => CampaignStatus)
  @Column({ type: 'enum', enum: CampaignStatus, enumName: 'campaign_status', default: CampaignStatus.DRAFT })
  status: CampaignStatus;

  @Field(() => LocalDate)
  @Column('date')
  startDate: string;

  @Field(() => LocalDate, { nullable: true })
  @Column('date', { nullable: true })
  endDate: string | null;

  /** Currency of budget and target GMV: always the shop's. */
  @Column('char', { length: 3 })
  currency: string;

  @Column('bigint', { nullable: true, transformer: bigintMinorTransformer })
  budgetMinor: number | null;

  @Field(() => Int, { description: "Default commission for enrolled creators, in basis points." })
  @Column('int')
  commissionRateBps: number;

  @Column('bigint', { nullable: true, transformer: bigintMinorTransformer })
  targetGmvMinor: number | null;

  @Field(() => Float, { nullable: true })
  @Column('double precision', { nullable: true })
  targetRoas: number | null;

  @Field(() => Money, { nullable: true })
  get budget(): Money | null {
    return Money.of(this.budgetMinor, this.currency);
  }

  @Field(() => Money, { nullable: true })
  get targetGmv(): Money | null {
    return Money.of(this.targetGmvMinor, this.currency);
  }

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(Campaign, (a) => `"${a}"."client_id" = :__clientScope`);
