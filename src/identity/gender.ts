// Gender: Meta takes `f`/`m` and maps common words the way its param builder does
// (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters);
// Pinterest also takes `n` (non-binary), which no other platform has (src/platforms/pinterest/README.md).

export type Gender = 'f' | 'm' | 'n';

const WORDS = new Map<string, Gender>();
for (const word of ['f', 'female', 'woman', 'women', 'girl', 'mrs', 'ms', 'miss', 'madam', 'feminine', 'w', 'frau', 'femme', 'mujer'])
  WORDS.set(word, 'f');
for (const word of ['m', 'male', 'man', 'men', 'boy', 'mr', 'sir', 'masculine', 'herr', 'homme', 'hombre']) WORDS.set(word, 'm');
for (const word of ['n', 'nonbinary', 'nb', 'x', 'enby', 'genderqueer']) WORDS.set(word, 'n');

/** `undefined` when the word is not a known gender. */
export function normalizeGender(raw: string): Gender | undefined {
  let key = '';
  const lower = raw.trim().toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === 46 || c === 45 || c === 32 || c === 95) continue; // `Mr.`, `non-binary`, `non binary`
    key += lower[i];
  }
  return WORDS.get(key);
}
