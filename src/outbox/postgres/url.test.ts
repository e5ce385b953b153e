import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { isPostgresUrl, parsePostgresUrl } from './url.js';

describe('parsePostgresUrl', () => {
  it('recognises both URL schemes', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('sqlite:./x.db')).toBe(false);
  });

  it('takes out its own settings and leaves the driver its parameters', () => {
    const s = parsePostgresUrl('postgres://mk:secret@db.internal:5433/matchkey?sslmode=require&pool_size=20&retention_days=7');
    expect(s).toEqual({
      connectionString: 'postgres://mk:secret@db.internal:5433/matchkey?sslmode=require',
      poolSize: 20,
      retentionMs: 7 * 86_400_000,
    });
    expect(parsePostgresUrl('postgresql://h/db')).toEqual({ connectionString: 'postgresql://h/db' });
  });

  it('refuses bad settings naming storage.url, without echoing the password', () => {
    for (const bad of ['postgres://u:hunter2@h', 'postgres://u:hunter2@h/db?pool_size=0', 'postgres://u:hunter2@h/db?retention_days=x']) {
      let err: unknown;
      try {
        parsePostgresUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe('storage.url');
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});
