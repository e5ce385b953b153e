import { purchaseEvent, seededRandom } from '../fixtures.js';

// Request bodies for the ingest load: realistic purchases (bench/fixtures.ts) serialized once as templates,
// with a unique order id spliced in per request, so the load generator spends its core on HTTP, not JSON.

const TEMPLATE_COUNT = 256;
const ID = '__ORDER__';

export class EventBodies {
  private readonly templates: string[];

  /** `tag` keeps order ids (hence event_ids `order_<tag>-<n>`) unique across runs on one database. */
  constructor(readonly tag: string) {
    const rnd = seededRandom(42);
    this.templates = Array.from({ length: TEMPLATE_COUNT }, (_, i) => {
      const event = purchaseEvent(i, rnd) as { commerce: Record<string, unknown> };
      event.commerce.order_id = ID;
      return JSON.stringify(event);
    });
  }

  eventId(n: number): string {
    return `order_${this.tag}-${n}`;
  }

  one(n: number): string {
    return this.templates[n % TEMPLATE_COUNT]!.replace(ID, `${this.tag}-${n}`);
  }

  /** `{"events":[…]}` with events first..first+count-1. */
  batch(first: number, count: number): string {
    const parts: string[] = [];
    for (let n = first; n < first + count; n++) parts.push(this.one(n));
    return `{"events":[${parts.join(',')}]}`;
  }
}
