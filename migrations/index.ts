import { Foundation1795241307052 } from './1795241307052-Foundation';
import { AccessAndAudit1795242190717 } from './1795242190717-AccessAndAudit';
import { RowLevelSecurity1795243000000 } from './1795243000000-RowLevelSecurity';
import { MembersPerAgency1795244000000 } from './1795244000000-MembersPerAgency';
import { SalesLedger1795245000000 } from './1795245000000-SalesLedger';
import { CampaignCreatorRollups1795245500000 } from './1795245500000-CampaignCreatorRollups';
import { ContentWorkflow1795246000000 } from './1795246000000-ContentWorkflow';
import { RequestEntry1795246500000 } from './1795246500000-RequestEntry';

/**
 * Every migration, in order. The DataSource imports this list (rather than a glob) so the
 * compiled app, ts-node, jest and the TypeORM CLI all run the same migrations.
 */
export const migrations = [Foundation1795241307052, AccessAndAudit1795242190717, RowLevelSecurity1795243000000, MembersPerAgency1795244000000, SalesLedger1795245000000, CampaignCreatorRollups1795245500000, ContentWorkflow1795246000000, RequestEntry1795246500000];
