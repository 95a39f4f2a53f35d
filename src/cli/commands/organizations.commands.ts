import type { Command } from 'commander';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { CreateOrganizationDto } from '../../organizations/dto/create-organization.dto.js';
import { type OrganizationResponse, toOrganizationResponse } from '../../organizations/dto/organization.response.js';
import { OrganizationsService } from '../../organizations/organizations.service.js';
import { validated } from '../cli-input.js';
import type { CliSession } from '../cli-session.js';
import type { Column } from '../output.js';

const ORGANIZATION_COLUMNS: readonly Column<OrganizationResponse>[] = [
  { header: 'ID', value: (org) => org.id },
  { header: 'NAME', value: (org) => org.name },
  { header: 'PLATFORM', value: (org) => org.platform },
  { header: 'CREATED_AT', value: (org) => org.created_at },
];

/** `orgsync orgs ...`: the operations of /admin/organizations. */
export function registerOrganizationCommands(program: Command, session: CliSession): void {
  const orgs = program.command('orgs').description('create, list, show and delete organizations');

  orgs
    .command('create')
    .description('create an organization and print it')
    .requiredOption('--name <name>', 'display name, 1 to 200 characters')
    .option('--platform', 'make it a platform organization: only its clients may hold the admin scope')
    .action(async (options: { name: string; platform?: true }) => {
      const dto = await validated(CreateOrganizationDto, { name: options.name, platform: options.platform });
      const organization = await session.withServices((app) =>
        app.get(OrganizationsService).create({ name: dto.name, isPlatform: dto.platform }),
      );
      session.output().record(toOrganizationResponse(organization));
    });

  orgs
    .command('list')
    .description('list organizations, oldest first, one page at a time')
    .option('--limit <n>', 'page size, 1 to 200 (default: 50)')
    .option('--cursor <cursor>', 'the cursor printed with the previous page')
    .action(async (options: { limit?: string; cursor?: string }) => {
      const query = await validated(PageQueryDto, { ...options }, 'query');
      const page = await session.withServices((app) => app.get(OrganizationsService).list(query.limit, query.cursor));
      const response = { data: page.data.map(toOrganizationResponse), next_cursor: page.nextCursor };
      session.output().page(response, ORGANIZATION_COLUMNS, `orgsync orgs list --limit ${query.limit}`);
    });

  orgs
    .command('show')
    .description('print one organization')
    .argument('<id>', 'organization id')
    .action(async (id: string) => {
      const organization = await session.withServices((app) => app.get(OrganizationsService).get(id));
      session.output().record(toOrganizationResponse(organization));
    });

  orgs
    .command('delete')
    .description('delete an organization: its clients can no longer obtain tokens, and their tokens stop being accepted')
    .argument('<id>', 'organization id')
    .action(async (id: string) => {
      await session.withServices((app) => app.get(OrganizationsService).delete(id));
      session.output().done(`Deleted organization ${id}.`);
    });
}
