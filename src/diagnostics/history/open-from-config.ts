import { loadConfigFile, resolveConfigPath } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';
import { InputError } from '../../errors.js';
import { openHistoryStore } from './open.js';
import type { HistoryStore } from './types.js';

/**
 * The history store of the configuration the CLI would use (--config FILE, else MATCHKEY_CONFIG, else
 * ./matchkey.config.json, else the default storage.url): the same database file the gateway writes.
 */
export async function openHistoryForCli(configFlag: string | undefined): Promise<{ history: HistoryStore; url: string }> {
  const path = resolveConfigPath(configFlag);
  let url: string;
  if (path === null) {
    url = configSchema.parse({}).storage.url;
  } else {
    try {
      url = loadConfigFile(path).storage.url;
    } catch (err) {
      if (err instanceof InputError && !err.message.includes(path)) err.message = `${path}: ${err.message}`;
      throw err;
    }
  }
  return { history: await openHistoryStore(url), url };
}
