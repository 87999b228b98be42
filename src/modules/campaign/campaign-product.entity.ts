import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Product } from '../product/product.entity';
import { Campaign } from './campaign.entity';

/** The products a campaign promotes (all from the campaign's shop). */
@Entity('campaign_products')
@Index(['productId'])
export class CampaignProduct {
  @PrimaryColumn('uuid')
  campaignId: string;

  @PrimaryColumn('uuid')
  productId: string;

  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn()
  campaign?: Campaign;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn()
  product?: Product;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
