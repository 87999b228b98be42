import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ListBound } from '../../common/limits';
import { DateTime } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { Member } from '../member/member.entity';
import { Content, ContentStatus } from './content.entity';

/** The QA checks run on a submission when it is reviewed (see qa-checks.ts). */
export enum QaCheckKind {
  DISCLOSURE = 'DISCLOSURE',
  HASHTAGS = 'HASHTAGS',
  URL_WELL_FORMED = 'URL_WELL_FORMED',
  URL_MATCHES_BRIEF = 'URL_MATCHES_BRIEF',
  PRODUCT_IN_CAMPAIGN = 'PRODUCT_IN_CAMPAIGN',
  PRICE_MATCHES_CATALOG = 'PRICE_MATCHES_CATALOG',
}
registerEnumType(QaCheckKind, { name: 'QaCheckKind' });

@ObjectType({ description: 'One QA check of a submission, recorded with its review. A failed check does not block the reviewer.' })
export class QaCheck {
  @Field(() => QaCheckKind)
  kind: QaCheckKind;

  @Field()
  passed: boolean;

  @Field(() => String, { nullable: true, description: 'What was expected or found, when the check failed or could not run.' })
  detail: string | null;
}

/** One review decision on one revision of a piece of content; never changed once written. */
@ObjectType({ description: 'A review decision on one revision of a piece of content.' })
@Entity('content_reviews')
@Index('IDX_content_reviews_agency_content', ['agencyId', 'contentId', 'createdAt', 'id'])
export class ContentReview {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  contentId: string;

  @ManyToOne(() => Content, { onDelete: 'CASCADE' })
  @JoinColumn()
  content?: Content;

  @Field(() => Int, { description: 'The revision of the content this review decided on.' })
  @Column('int')
  revision: number;

  @Field(() => ContentStatus, { description: 'APPROVED or CHANGES_REQUESTED.' })
  @Column({ type: 'enum', enum: ContentStatus, enumName: 'content_status' })
  decision: ContentStatus;

  /** Shared with the brand (client viewers see them). */
  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  notes: string | null;

  /** For the agency only: null for client viewers (see the resolver). */
  @Column('text', { nullable: true })
  internalNotes: string | null;

  @Column('uuid', { nullable: true })
  reviewerId: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn()
  reviewer?: Member;

  @Field(() => [QaCheck])
  @ListBound(10)
  @Column('jsonb', { default: () => "'[]'" })
  checks: QaCheck[];

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(
  ContentReview,
  (a) => `"${a}"."content_id" IN (SELECT ct.id FROM content ct JOIN campaigns c ON c.id = ct.campaign_id WHERE c.client_id = :__clientScope)`,
);
