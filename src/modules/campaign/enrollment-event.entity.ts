import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTime } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { Member } from '../member/member.entity';
import { CampaignEnrollment, EnrollmentStatus } from './enrollment.entity';

/** One move of an enrollment (or its creation): who moved it, when, and through which mutation. */
@ObjectType({ description: "One move of an enrollment's status: from (null when it was created), to, who, when." })
@Entity('enrollment_events')
@Index('IDX_enrollment_events_agency_enrollment', ['agencyId', 'enrollmentId', 'createdAt', 'id'])
export class EnrollmentEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  enrollmentId: string;

  @ManyToOne(() => CampaignEnrollment, { onDelete: 'CASCADE' })
  @JoinColumn()
  enrollment?: CampaignEnrollment;

  @Field(() => EnrollmentStatus, { nullable: true, description: 'Null for the invitation that created the enrollment.' })
  @Column({ type: 'enum', enum: EnrollmentStatus, enumName: 'enrollment_status', nullable: true })
  fromStatus: EnrollmentStatus | null;

  @Field(() => EnrollmentStatus)
  @Column({ type: 'enum', enum: EnrollmentStatus, enumName: 'enrollment_status' })
  toStatus: EnrollmentStatus;

  /** The member who made the move; null for API keys (apiKeyId) and removed members. */
  @Column('uuid', { nullable: true })
  memberId: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn()
  member?: Member;

  @Column('uuid', { nullable: true })
  apiKeyId: string | null;

  @Field(() => String, { nullable: true, description: 'The mutation that made the move (setEnrollmentStatus, submitContent, markContentLive, ...).' })
  @Column('varchar', { nullable: true })
  operation: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(
  EnrollmentEvent,
  (a) => `"${a}"."enrollment_id" IN (SELECT e.id FROM campaign_enrollments e JOIN campaigns c ON c.id = e.campaign_id WHERE c.client_id = :__clientScope)`,
);
