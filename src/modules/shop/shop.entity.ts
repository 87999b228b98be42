import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Node } from '../../common/node';
import { CountryCode, Currency, DateTime } from '../../common/scalars';
import { Client } from '../client/client.entity';
import { registerClientScope } from '../../common/tenancy';

export enum ShopStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  CLOSED = 'CLOSED',
}
registerEnumType(ShopStatus, { name: 'ShopStatus' });

@ObjectType({ implements: Node, description: "A client's TikTok Shop in one region and currency." })
@Entity('shops')
@Unique('uq_shops_agency_external_id', ['agencyId', 'externalId'])
@Index(['clientId', 'createdAt', 'id'])
export class Shop implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  clientId: string;

  @ManyToOne(() => Client, { onDelete: 'CASCADE' })
  @JoinColumn()
  client?: Client;

  @Field()
  @Column()
  name: string;

  @Field({ description: "The shop's id on TikTok Shop; unique within the agency." })
  @Column()
  externalId: string;

  @Field(() => CountryCode)
  @Column('char', { length: 2 })
  region: string;

  @Field(() => Currency)
  @Column('char', { length: 3 })
  currency: string;

  @Field({ description: 'IANA time zone the shop reports its calendar days in.' })
  @Column()
  timeZone: string;

  @Field(() => ShopStatus)
  @Column({ type: 'enum', enum: ShopStatus, enumName: 'shop_status', default: ShopStatus.ACTIVE })
  status: ShopStatus;

  @Field(() => Int, { description: 'Commission for affiliate lines with no rate from the line, enrollment or campaign, in basis points (default 1000 = 10%).' })
  @Column('int', { default: 1000 })
  defaultCommissionRateBps: number;

  @Field(() => Int, { description: "The platform's fee on net revenue, in basis points (default 800 = 8%, TikTok Shop US's referral fee for most categories)." })
  @Column('int', { default: 800 })
  platformFeeBps: number;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(Shop, (a) => `"${a}"."client_id" = :__clientScope`);
