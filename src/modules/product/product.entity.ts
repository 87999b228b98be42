import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { bigintMinorTransformer, Money } from '../../common/money';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { Shop } from '../shop/shop.entity';
import { registerClientScope } from '../../common/tenancy';

@ObjectType({ implements: Node, description: 'A product (SKU) sold in one shop, in the shop currency.' })
@Entity('products')
@Unique('uq_products_shop_sku', ['shopId', 'sku'])
@Index(['shopId', 'createdAt', 'id'])
export class Product implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  shopId: string;

  @ManyToOne(() => Shop, { onDelete: 'CASCADE' })
  @JoinColumn()
  shop?: Shop;

  @Field()
  @Column()
  sku: string;

  @Field()
  @Column()
  title: string;

  /** Currency of price and unit cost: always the shop's. */
  @Column('char', { length: 3 })
  currency: string;

  @Column('bigint', { transformer: bigintMinorTransformer })
  priceMinor: number;

  @Column('bigint', { nullable: true, transformer: bigintMinorTransformer })
  unitCostMinor: number | null;

  @Field(() => Money)
  get price(): Money {
    return new Money(this.priceMinor, this.currency);
  }

  @Field(() => Money, { nullable: true, description: 'Cost of goods sold, per unit.' })
  get unitCost(): Money | null {
    return Money.of(this.unitCostMinor, this.currency);
  }

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

registerClientScope(Product, (a) => `"${a}"."shop_id" IN (SELECT s.id FROM shops s WHERE s.client_id = :__clientScope)`);
