import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { actAsAgency } from '../../db/tenant-setting';
import { RequestContext, Role } from '../../common/context';
import { AppError } from '../../common/errors';
import { hashPassword } from '../../common/passwords';
import { isUniqueViolation } from '../../common/sql';
import { scopedQuery } from '../../common/tenancy';
import { Member } from '../member/member.entity';
import { Agency } from './agency.entity';
import { isBlank } from '../../common/inputs';

export interface CreateAgencyCommand {
  name: string;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'agency';
}

/** Slugs of all agencies matching a LIKE pattern, past row-level security (slugs only). */
export async function slugsLike(em: EntityManager, pattern: string): Promise<string[]> {
  const rows: Array<{ slug: string }> = await em.query('SELECT slug FROM app_agency_slugs_like($1)', [pattern]);
  return rows.map((r) => r.slug);
}

/**
 * The first free slug: "acme-agency", then "acme-agency-2", ... Slugs of every agency are
 * hidden by row-level security, so they are read through a SECURITY DEFINER function.
 */
async function freeSlug(em: EntityManager, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(await slugsLike(em, `${base}%`));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export class AgencyService {
  current(ctx: RequestContext): Promise<Agency> {
    return ctx.loaders
      .byId(Agency)
      .load(ctx.agencyId)
      .then((agency) => agency ?? Promise.reject(AppError.unauthenticated('Your agency no longer exists')));
  }

  async rename(ctx: RequestContext, name: string): Promise<Agency> {
    const trimmed = name.trim();
    if (isBlank(trimmed) || trimmed.length > 200) throw AppError.badField('name', 'must be 1 to 200 characters');
    return ctx.transaction(async (em) => {
      const agency = await scopedQuery(ctx, Agency, 'agency', em).setLock('pessimistic_write').getOneOrFail();
      agency.name = trimmed;
      return em.save(agency);
    });
  }

  /** Creates an agency and its first AGENCY_ADMIN in one transaction (CLI and tests). */
  async createWithAdmin(db: DataSource, command: CreateAgencyCommand): Promise<{ agency: Agency; admin: Member }> {
    const name = command.name.trim();
    const email = command.adminEmail.trim().toLowerCase();
    if (!name) throw AppError.badField('name', 'must not be blank');
    if (!EMAIL.test(email)) throw AppError.badField('adminEmail', 'must be an e-mail address');
    if (command.adminPassword.length < 8) throw AppError.badField('adminPassword', 'must be at least 8 characters');
    const passwordHash = await hashPassword(command.adminPassword);
    try {
      return await db.transaction(async (em) => {
        const agencyId = randomUUID();
        await actAsAgency(em, agencyId);
        const agency = await em.save(em.create(Agency, { id: agencyId, name, slug: await freeSlug(em, name) }));
        const admin = await em.save(
          em.create(Member, {
            agencyId: agency.id,
            email,
            name: command.adminName?.trim() || email.split('@')[0],
            passwordHash,
            role: Role.AGENCY_ADMIN,
            clientId: null,
          }),
        );
        return { agency, admin };
      });
    } catch (err) {
      // The admin's address may be in use in other agencies (members are per agency): only the
      // slug can collide, when another agency of the same name is created at the same moment.
      if (isUniqueViolation(err)) throw AppError.conflict('Another agency of this name was created at the same moment; try again', { name: ['just taken'] });
      throw err;
    }
  }
}
