import { searchServices as searchIndex } from '@parcours/directory';
import type { DeskCall } from '../../http/desk-call.ts';
import type { ListedService, SearchServicesQuery, ServiceList } from './directory.schemas.ts';
import type { DirectoryCache } from './directory-cache.ts';

/**
 * Directory browsing in the acting organisation's territory: by bundle, commune served and words,
 * sorted by id, paginated. Services are not personal data: the search is not audited.
 */
export async function searchServices(
  directories: DirectoryCache,
  query: SearchServicesQuery,
  call: Pick<DeskCall, 'agent'>,
): Promise<ServiceList> {
  const directory = await directories.directoryOf(call.agent.territoryId);
  const found = searchIndex(directory.index, {
    bundle: query.bundle,
    communeCode: query.communeCode,
    text: query.text,
    acceptsReferrals: query.acceptsReferrals,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return {
    items: found.services.map((service) => ({ ...service, referralRoute: directory.referralRouteOf(service.id) })),
    page: query.page,
    pageSize: query.pageSize,
    total: found.total,
  };
}

/** One active service of the territory's directory, or null. */
export async function getDirectoryService(
  directories: DirectoryCache,
  serviceId: string,
  call: Pick<DeskCall, 'agent'>,
): Promise<ListedService | null> {
  const directory = await directories.directoryOf(call.agent.territoryId);
  const service = directory.index.byId.get(serviceId)?.service;
  return service ? { ...service, referralRoute: directory.referralRouteOf(service.id) } : null;
}
