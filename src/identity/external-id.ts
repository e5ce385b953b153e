// external_id (PLATFORMS.md §1.3, §2.1): trim + lowercase, then hashed. It must match what the browser pixel
// sends for the same shopper, and every reference implementation lowercases it.

export function normalizeExternalId(raw: string): string | undefined {
  const id = raw.trim().toLowerCase();
  return id.length === 0 ? undefined : id;
}
