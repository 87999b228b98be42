import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Node } from '../../common/node';
import { CountryCode, DateTime, EmailAddress, NonNegativeInt } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';

export enum CreatorTier {
  STAR = 'STAR',
  RISING = 'RISING',
  CORE = 'CORE',
  NEW = 'NEW',
  DORMANT = 'DORMANT',
}
registerEnumType(CreatorTier, {
  name: 'CreatorTier',
  description: 'Segment from trailing 30-day attributed GMV (README "Creator tiers").',
  valuesConfig: {
    STAR: { description: "30-day GMV at or above the agency's STAR threshold for its currency (default $10,000)." },
    RISING: { description: 'At or above the RISING threshold (default $2,000).' },
    CORE: { description: 'Selling, below RISING (or in a currency without thresholds).' },
    NEW: { description: 'Added in the last 30 days, no sales in them yet.' },
    DORMANT: { description: 'No attributed sales in the last 60 days.' },
  },
});

@ObjectType({ implements: Node, description: 'A TikTok creator (affiliate) the agency works with.' })
@Entity('creators')
@Unique('uq_creators_agency_handle', ['agencyId', 'handle'])
@Index(['agencyId', 'createdAt', 'id'])
@Index(['agencyId', 'followerCount', 'id'])
@Index('IDX_creators_agency_tier', ['agencyId', 'tier'])
export class Creator implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  /** Lower-cased, without '@': TikTok handles are case-insensitive. */
  @Field({ description: "TikTok handle without '@'; unique within the agency." })
  @Column()
  handle: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  displayName: string | null;

  @Field(() => NonNegativeInt)
  @Column('int')
  followerCount: number;

  @Field(() => Float, { nullable: true, description: 'Engagement rate as a ratio (0.052 = 5.2%).' })
  @Column('double precision', { nullable: true })
  engagementRate: number | null;

  /** Lower-cased and de-duplicated, so filters match whatever case they are typed in. */
  @Field(() => [String])
  @Column('text', { array: true, default: () => "'{}'" })
  niches: string[];

  @Field(() => CountryCode, { nullable: true })
  @Column('char', { length: 2, nullable: true })
  region: string | null;

  @Field(() => EmailAddress, { nullable: true })
  @Column('text', { nullable: true })
  email: string | null;

  /** The agency's own labels (lower-cased, de-duplicated), for search; see setCreatorTags. */
  @Column('text', { array: true, default: () => "'{}'" })
  tags: string[];

  /** Segment from trailing 30-day attributed GMV, refreshed by the tier service (see tiers.ts). */
  @Column({ type: 'enum', enum: CreatorTier, enumName: 'creator_tier', default: CreatorTier.NEW })
  tier: CreatorTier;

  /** Trailing 30-day attributed GMV the tier was computed from, in the creator's main currency. */
  @Column('bigint', { default: 0 })
  tierGmvMinor: string;

  /** The day the tier was last computed for; older means stale. */
  @Column('date', { nullable: true })
  tierAsOf: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

// A client viewer sees the creators enrolled in their client's campaigns.
registerClientScope(
  Creator,
  (a) =>
    `"${a}"."id" IN (SELECT e.creator_id FROM campaign_enrollments e JOIN campaigns c ON c.id = e.campaign_id WHERE c.client_id = :__clientScope)`,
);
