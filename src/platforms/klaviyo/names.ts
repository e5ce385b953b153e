import { EVENT_NAME_TABLE, isStandardEventName } from '../../event/names.js';

/**
 * Canonical name → Klaviyo metric name. Standard names follow the table of src/event/names.ts (null = not sent); any
 * other name is sent as a metric of that very name, which Klaviyo creates on first use.
 */
export function klaviyoMetricName(canonical: string): string | null {
  return isStandardEventName(canonical) ? EVENT_NAME_TABLE.klaviyo[canonical] : canonical;
}
