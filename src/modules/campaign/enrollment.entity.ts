import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Node } from '../../common/node';
import { DateTime, LocalDate } from '../../common/scalars';
import { Creator } from '../creator/creator.entity';
import { Campaign } from './campaign.entity';
import { registerClientScope } from '../../common/tenancy';

export enum EnrollmentStatus {
  INVITED = 'INVITED',
  ACCEPTED = 'ACCEPTED',
  SAMPLE_SHIPPED = 'SAMPLE_SHIPPED',
  SAMPLE_DELIVERED = 'SAMPLE_DELIVERED',
  CONTENT_IN_REVIEW = 'CONTENT_IN_REVIEW',
  POSTED = 'POSTED',
  DECLINED = 'DECLINED',
  REMOVED = 'REMOVED',
}
registerEnumType(EnrollmentStatus, { name: 'EnrollmentStatus' });

@ObjectType({ implements: Node, description: "A creator's participation in one campaign." })
@Entity('campaign_enrollments')
@Unique('uq_enrollments_campaign_creator', ['campaignId', 'creatorId'])
@Index(['campaignId', 'createdAt', 'id'])
@Index(['creatorId', 'createdAt', 'id'])
export class CampaignEnrollment implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn()
  campaign?: Campaign;

  @Column('uuid')
  creatorId: string;

  @ManyToOne(() => Creator, { onDelete: 'CASCADE' })
  @JoinColumn()
  creator?: Creator;

  @Field(() => EnrollmentStatus)
  @Column({ type: 'enum', enum: EnrollmentStatus, enumName: 'enrollment_status', default: EnrollmentStatus.INVITED })
  status: EnrollmentStatus;

  @Field(() => Int, { nullable: true, description: "Overrides the campaign's rate for this creator, in basis points." })
  @Column('int', { nullable: true })
  commissionRateBps: number | null;

  @Field(() => LocalDate, { nullable: true })
  @Column('date', { nullable: true })
  contentDueDate: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  sampleTrackingNumber: string | null;

  /** The version of the campaign's brief this creator was given (see CampaignBrief). */
  @Column('int', { nullable: true })
  briefVersion: number | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(
  CampaignEnrollment,
  (a) => `"${a}"."campaign_id" IN (SELECT c.id FROM campaigns c WHERE c.client_id = :__clientScope)`,
);
