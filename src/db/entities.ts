import { Agency } from '../modules/agency/agency.entity';
import { ApiKey } from '../modules/api-key/api-key.entity';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { CampaignProduct } from '../modules/campaign/campaign-product.entity';
import { Campaign } from '../modules/campaign/campaign.entity';
import { CampaignEnrollment } from '../modules/campaign/enrollment.entity';
import { Client } from '../modules/client/client.entity';
import { Creator } from '../modules/creator/creator.entity';
import { Member } from '../modules/member/member.entity';
import { Product } from '../modules/product/product.entity';
import { Shop } from '../modules/shop/shop.entity';
import { Content } from '../modules/content/content.entity';
import { ContentReview } from '../modules/content/content-review.entity';
import { CampaignBrief } from '../modules/content/brief.entity';
import { Sample } from '../modules/content/sample.entity';
import { CreatorNote, OutreachMessage, OutreachTemplate } from '../modules/outreach/outreach.entities';
import { EnrollmentEvent } from '../modules/campaign/enrollment-event.entity';
import { DailyStat, MetricRollup, OrderLine, ShopHealthSnapshot } from '../modules/sales/ledger.entities';

/** Every TypeORM entity, listed once for the app, the CLI and the tests. */
export const entities = [Agency, Member, Client, Shop, Product, Creator, Campaign, CampaignProduct, CampaignEnrollment, ApiKey, AuditEntry, Content, OrderLine, DailyStat, ShopHealthSnapshot, MetricRollup, ContentReview, EnrollmentEvent, CampaignBrief, Sample, OutreachTemplate, OutreachMessage, CreatorNote];
