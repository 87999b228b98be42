import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ListBound } from '../../common/limits';
import { DateTime } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';
import { Campaign } from '../campaign/campaign.entity';

/** The most items in each list of a brief. */
export const MAX_BRIEF_ITEMS = 30;

/**
 * One version of a campaign's brief. Versions are never edited: publishing makes the next one,
 * and each enrollment keeps the version it was given (campaign_enrollments.brief_version).
 */
@ObjectType({ description: "One version of a campaign's brief; publishing makes the next version, and each enrollment keeps the version it was given." })
@Entity('campaign_briefs')
@Index('UQ_campaign_briefs_agency_campaign_version', ['agencyId', 'campaignId', 'version'], { unique: true })
export class CampaignBrief {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @Column('uuid')
  campaignId: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn()
  campaign?: Campaign;

  @Field(() => Int)
  @Column('int')
  version: number;

  @Field(() => [String])
  @ListBound(MAX_BRIEF_ITEMS)
  @Column('text', { array: true, default: () => "'{}'" })
  keyMessages: string[];

  @Field(() => [String])
  @ListBound(MAX_BRIEF_ITEMS)
  @Column('text', { array: true, default: () => "'{}'" })
  dos: string[];

  @Field(() => [String])
  @ListBound(MAX_BRIEF_ITEMS)
  @Column('text', { array: true, default: () => "'{}'" })
  donts: string[];

  @Field(() => [String], { description: 'Hashtags the caption must carry (stored with their #, lower-cased).' })
  @ListBound(MAX_BRIEF_ITEMS)
  @Column('text', { array: true, default: () => "'{}'" })
  requiredHashtags: string[];

  @Field({ description: 'The disclosure the caption must carry, e.g. #ad.' })
  @Column('varchar', { default: '#ad' })
  disclosure: string;

  @Field(() => [String], { description: 'Links the content may point at (the URL QA check compares host and path).' })
  @ListBound(MAX_BRIEF_ITEMS)
  @Column('text', { array: true, default: () => "'{}'" })
  productLinks: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Due-date rule: content is due this many days after the sample is delivered (or after acceptance without a sample); ' +
      'applied to enrollments without a contentDueDate when their sample is marked delivered.',
  })
  @Column('int', { nullable: true })
  contentDueDays: number | null;

  @Column('uuid', { nullable: true })
  createdById: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(CampaignBrief, (a) => `"${a}"."campaign_id" IN (SELECT c.id FROM campaigns c WHERE c.client_id = :__clientScope)`);
