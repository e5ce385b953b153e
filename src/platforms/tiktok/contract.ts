import { loadRequestContract } from '../contract/request-contract.js';

/** The request contract of the endpoint this platform's builder targets (source and date in the schema's `$comment`). */
export const tiktokEventTrackContract = loadRequestContract(new URL('./contract/event-track.schema.json', import.meta.url));
