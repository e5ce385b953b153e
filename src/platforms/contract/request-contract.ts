import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Each platform folder keeps the request contract of every endpoint Matchkey calls as a JSON Schema file
// (`src/platforms/<p>/contract/<endpoint>.schema.json`), derived from the platform's published spec and citing it
// in `$comment`. The simulators validate every request against it and answer a violation in the platform's own
// error shape; the golden-body tests validate against it too, so a builder that drifts from the contract fails.

// ajv-formats is CommonJS: under ESM its default export arrives wrapped on some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** One way a request breaks its contract, in terms a platform error message can carry. */
export interface ContractViolation {
  /** JSON pointer-ish dotted path of the offending value: `data.0.user_data.em`, or '' for the body itself. */
  path: string;
  /** What broke: an unknown field, a wrong type, a value outside its enum, a count or length out of range, … */
  kind: 'unknown_field' | 'missing_field' | 'wrong_type' | 'wrong_enum' | 'out_of_range' | 'wrong_format';
  /** The offending field's name where there is one (the unknown or missing key). */
  field?: string;
  message: string;
}

export interface RequestContract {
  /** The schema's `$id` or file name, for messages. */
  name: string;
  /** Every violation of `body` (empty when it conforms). */
  check(body: unknown): ContractViolation[];
}

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }));

function kindOf(e: ErrorObject): ContractViolation['kind'] {
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'unknown_field';
    case 'required':
      return 'missing_field';
    case 'type':
      return 'wrong_type';
    case 'enum':
    case 'const':
      return 'wrong_enum';
    case 'format':
    case 'pattern':
      return 'wrong_format';
    default:
      return 'out_of_range';
  }
}

function toViolation(e: ErrorObject): ContractViolation {
  const base = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  const field =
    e.keyword === 'additionalProperties' ? String(params.additionalProperty)
    : e.keyword === 'required' ? String(params.missingProperty)
    : undefined;
  const path = [...base, ...(field === undefined ? [] : [field])].join('.');
  const kind = kindOf(e);
  const message =
    kind === 'unknown_field' ? `unknown field "${field}"`
    : kind === 'missing_field' ? `"${field}" is required`
    : `${path || 'body'} ${e.message ?? 'is invalid'}`;
  return { path, kind, ...(field === undefined ? {} : { field }), message };
}

function fromValidator(name: string, validate: ValidateFunction): RequestContract {
  return {
    name,
    check(body) {
      if (validate(body)) return [];
      // anyOf/oneOf report every branch's failure; the branch keywords themselves say nothing a caller can act on.
      return (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if').map(toViolation);
    },
  };
}

/** Compiles a contract once (call at module load; compilation is the slow part, checking is fast). */
export function loadRequestContract(schemaFile: URL): RequestContract {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const name = typeof schema.$id === 'string' ? schema.$id : schemaFile.pathname.split('/').pop()!;
  const existing = typeof schema.$id === 'string' ? ajv.getSchema(schema.$id) : undefined;
  return fromValidator(name, existing ?? ajv.compile(schema));
}
