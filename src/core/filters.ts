// Which subscriptions and workspaces show. Users usually work in one; an empty list means all.

export function matchesFilter(filter: readonly string[] | undefined, ...candidates: Array<string | undefined>): boolean {
  if (!filter || filter.length === 0) return true;
  const wanted = new Set(filter.map((f) => f.trim().toLowerCase()).filter(Boolean));
  if (wanted.size === 0) return true;
  return candidates.some((c) => c !== undefined && wanted.has(c.toLowerCase()));
}
