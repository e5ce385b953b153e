import { loadRequestContract } from '../contract/request-contract.js';

/** The request contract of the endpoint this platform's builder targets (source and date in the schema's `$comment`). */
export const pinterestEventsContract = loadRequestContract(new URL('./contract/events.schema.json', import.meta.url));
