// A listing followed to its end: continuation tokens until the service says there are no more pages.
import type { BlobListing, ListOptions } from "./gateways";

/** Every page of `list`, in pages of 5,000 (the service's largest), each reduced by `pick`. */
export async function allPages<T>(list: (options: ListOptions) => Promise<BlobListing>, pick: (listing: BlobListing) => T[], signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let listing: BlobListing | undefined;
  do {
    listing = await list({ pageSize: 5000, continuationToken: listing?.continuationToken, signal });
    items.push(...pick(listing));
  } while (listing.continuationToken);
  return items;
}
