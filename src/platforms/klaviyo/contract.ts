import { loadRequestContract } from '../contract/request-contract.js';

/** The request contract of the endpoint this platform's builder targets (source and date in the schema's `$comment`). */
export const klaviyoCreateEventContract = loadRequestContract(new URL('./contract/create-event.schema.json', import.meta.url));
