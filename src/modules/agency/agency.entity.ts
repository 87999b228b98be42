import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { registerAgencyColumn, registerClientScope } from '../../common/tenancy';

@ObjectType({ implements: Node, description: 'A TikTok Shop partner agency: the tenant that owns all other data.' })
@Entity('agencies')
export class Agency implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Column()
  name: string;

  @Field()
  @Column({ unique: true })
  slug: string;

  /** Agency-wide settings (health thresholds, tier thresholds, SLAs); see agency-settings.ts. */
  @Column('jsonb', { default: () => "'{}'" })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed and checked by agency-settings.ts
  settings: Record<string, any>;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerAgencyColumn(Agency, 'id');
registerClientScope(Agency, () => 'TRUE');
