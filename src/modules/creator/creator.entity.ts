import { Field, Float, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Node } from '../../common/node';
import { CountryCode, DateTime, EmailAddress, NonNegativeInt } from '../../common/scalars';
import { registerClientScope } from '../../common/tenancy';

@ObjectType({ implements: Node, description: 'A TikTok creator (affiliate) the agency works with.' })
@Entity('creators')
@Unique('uq_creators_agency_handle', ['agencyId', 'handle'])
@Index(['agencyId', 'createdAt', 'id'])
@Index(['agencyId', 'followerCount', 'id'])
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
