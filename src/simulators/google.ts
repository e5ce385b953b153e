import {
  firstValue,
  isCurrencyCode,
  isNonEmptyString,
  isObject,
  isRevokedCredential,
  isSha256Hex,
  randomHexId,
  randomId,
} from './checks.js';
import { loadRequestContract } from '../platforms/contract/request-contract.js';
import {
  createDataManagerRoutes,
  dataManagerEventCount,
  dataManagerEventIds,
  dataManagerRateLimited,
  dataManagerServerError,
  isDataManagerPath,
  type DataManagerSimulatorOptions,
} from './google-data-manager.js';
import type { HandleContext, PlatformSimulator, SimReply, SimRequest } from './types.js';

// Google stand-in: the Data Manager API (google-data-manager.ts) and the Google Ads API:
//   POST /{version}/customers/{cid}:uploadClickConversions
//   POST /{version}/customers/{cid}:uploadConversionAdjustments
//   POST /token (OAuth refresh-token exchange; oauth2.googleapis.com/token with base_url replacing the host)
// Row problems come back as HTTP 200 + `partialFailureError` (partialFailure must be true); body problems the
// proto-JSON parser would refuse (unknown field, two members of a oneof, bad enum) fail the whole request (400).

export const GOOGLE_MAX_ROWS = 2000;
const CLICK_CONTRACT = loadRequestContract(new URL('../platforms/google/contract/upload-click-conversions.schema.json', import.meta.url));

/** Proto JSON accepts snake_case names too: read them into the contract's lowerCamel names. */
function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), camelKeys(x)]));
}
const MAX_USER_IDENTIFIERS = 5;
const TOKEN_TTL_SEC = 3599;
/** Google Ads date-time: "yyyy-mm-dd hh:mm:ss+|-hh:mm" (src/platforms/google/README.md). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})[+-](\d{2}):(\d{2})$/;
const CONVERSION_ACTION = /^customers\/(\d+)\/conversionActions\/(\d+)$/;

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Proto JSON accepts the lowerCamel name and the original snake_case name of every field. */
class Fields {
  private readonly known = new Set<string>();
  constructor(readonly names: readonly string[]) {
    for (const n of names) {
      this.known.add(n);
      this.known.add(snake(n));
    }
  }
  unknownKey(obj: Record<string, unknown>): string | null {
    for (const k in obj) if (!this.known.has(k)) return k;
    return null;
  }
}

function get(obj: Record<string, unknown>, camel: string): unknown {
  const v = obj[camel];
  return v !== undefined ? v : obj[snake(camel)];
}

const REQUEST_FIELDS = new Fields(['conversions', 'conversionAdjustments', 'partialFailure', 'validateOnly', 'jobId', 'debugEnabled']);
const CLICK_FIELDS = new Fields([
  'gclid', 'gbraid', 'wbraid', 'conversionAction', 'conversionDateTime', 'conversionValue', 'currencyCode', 'orderId',
  'externalAttributionData', 'customVariables', 'cartData', 'userIdentifiers', 'conversionEnvironment', 'consent',
  'sessionAttributesEncoded', 'sessionAttributesKeyValuePairs', 'userIpAddress',
]);
const ADJUSTMENT_FIELDS = new Fields([
  'gclidDateTimePair', 'orderId', 'conversionAction', 'adjustmentDateTime', 'adjustmentType', 'restatementValue',
  'userIdentifiers', 'userAgent',
]);
const IDENTIFIER_ONEOF = ['hashedEmail', 'hashedPhoneNumber', 'mobileId', 'thirdPartyUserId', 'addressInfo'] as const;
const IDENTIFIER_FIELDS = new Fields([...IDENTIFIER_ONEOF, 'userIdentifierSource']);
const ADDRESS_FIELDS = new Fields(['hashedFirstName', 'hashedLastName', 'city', 'state', 'countryCode', 'postalCode', 'hashedStreetAddress']);
const ADJUSTMENT_TYPES = new Set(['ENHANCEMENT', 'RESTATEMENT', 'RETRACTION']);

interface FieldPathElement {
  fieldName: string;
  index?: number;
}

export interface GoogleAdsError {
  errorCode: Record<string, string>;
  message: string;
  location: { fieldPathElements: FieldPathElement[] };
}

function failureType(version: string): string {
  return `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`;
}

function rpcError(status: number, rpcStatus: string, message: string, details: unknown[] = []): SimReply {
  return { status, body: { error: { code: status, message, status: rpcStatus, details } }, accepted: 0, rejected: 0 };
}

function adsFailure(status: number, rpcStatus: string, version: string, errorCode: Record<string, string>, message: string): SimReply {
  return rpcError(status, rpcStatus, status === 400 ? 'Request contains an invalid argument.' : message, [
    { '@type': failureType(version), errors: [{ errorCode, message }], requestId: randomId(16) },
  ]);
}

/** What the proto-JSON parser answers for a body it cannot map onto the request message. */
function badJson(where: string, description: string): SimReply {
  const message = `Invalid JSON payload received. ${description} at '${where}'`;
  return rpcError(400, 'INVALID_ARGUMENT', message, [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: where, description: message }] },
  ]);
}

function validDateTime(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = DATE_TIME.exec(v);
  if (!m) return false;
  const [month, day, hour, minute, second, offH, offM] = [m[2], m[3], m[4], m[5], m[6], m[7], m[8]].map(Number) as number[];
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= 31 && hour! <= 23 && minute! <= 59 && second! <= 59 && offH! <= 14 && offM! <= 59;
}

type RowCheck = { ok: true } | { ok: false; error: Omit<GoogleAdsError, 'location'> & { path: FieldPathElement[] } };
const OK: RowCheck = { ok: true };
function rowError(errorCode: Record<string, string>, message: string, path: FieldPathElement[] = []): RowCheck {
  return { ok: false, error: { errorCode, message, path } };
}

/** Parser-level problems in a user identifier list (whole request); returns null when the list parses. */
function parseIdentifiers(list: unknown, where: string): SimReply | null {
  if (list === undefined) return null;
  if (!Array.isArray(list)) return badJson(where, 'Proto field is not repeating, cannot start list.');
  for (let j = 0; j < list.length; j++) {
    const id: unknown = list[j];
    const at = `${where}[${j}]`;
    if (!isObject(id)) return badJson(at, 'Expected an object.');
    const unknown = IDENTIFIER_FIELDS.unknownKey(id);
    if (unknown) return badJson(at, `Unknown name "${unknown}": Cannot find field.`);
    let set = 0;
    for (const name of IDENTIFIER_ONEOF) if (get(id, name) !== undefined) set++;
    if (set > 1) return badJson(at, 'Oneof field \'identifier\' is already set. Cannot set a second member.');
    const address = get(id, 'addressInfo');
    if (address !== undefined) {
      if (!isObject(address)) return badJson(`${at}.address_info`, 'Expected an object.');
      const unknownAddr = ADDRESS_FIELDS.unknownKey(address);
      if (unknownAddr) return badJson(`${at}.address_info`, `Unknown name "${unknownAddr}": Cannot find field.`);
    }
  }
  return null;
}

/**
 * Row-level identifier rules; `addressAllowed` is false for click conversions (only hashed email/phone,
 * src/platforms/google/README.md).
 */
function checkIdentifiers(list: unknown, addressAllowed: boolean): RowCheck {
  if (!Array.isArray(list)) return OK;
  if (list.length > MAX_USER_IDENTIFIERS) {
    return rowError({ collectionSizeError: 'TOO_MANY' }, `Too many user identifiers: at most ${MAX_USER_IDENTIFIERS} are allowed.`, [{ fieldName: 'user_identifiers' }]);
  }
  for (let j = 0; j < list.length; j++) {
    const id = list[j] as Record<string, unknown>;
    const path = [{ fieldName: 'user_identifiers', index: j }];
    const email = get(id, 'hashedEmail');
    const phone = get(id, 'hashedPhoneNumber');
    const address = get(id, 'addressInfo') as Record<string, unknown> | undefined;
    if (email !== undefined) {
      if (!isSha256Hex(email)) return rowError({ conversionUploadError: 'INVALID_USER_IDENTIFIER' }, 'Make sure you hash user provided data using SHA-256 and ensure you are normalizing according to the guidelines.', [...path, { fieldName: 'hashed_email' }]);
    } else if (phone !== undefined) {
      if (!isSha256Hex(phone)) return rowError({ conversionUploadError: 'INVALID_USER_IDENTIFIER' }, 'Make sure you hash user provided data using SHA-256 and ensure you are normalizing according to the guidelines.', [...path, { fieldName: 'hashed_phone_number' }]);
    } else if (address !== undefined) {
      if (!addressAllowed) return rowError({ conversionUploadError: 'UNSUPPORTED_USER_IDENTIFIER' }, 'The provided user identifiers are not supported. Use only hashed email or phone number and try again.', [...path, { fieldName: 'address_info' }]);
      for (const name of ['hashedFirstName', 'hashedLastName', 'hashedStreetAddress']) {
        const v = get(address, name);
        if (v !== undefined && !isSha256Hex(v)) return rowError({ conversionUploadError: 'INVALID_USER_IDENTIFIER' }, 'Names and street address must be SHA-256 hex.', [...path, { fieldName: 'address_info' }, { fieldName: snake(name) }]);
      }
      // Google: country, state, city and postal code are sent in the clear; a hash here is a builder bug.
      const country = get(address, 'countryCode');
      if (country !== undefined && !(typeof country === 'string' && /^[A-Za-z]{2}$/.test(country))) {
        return rowError({ fieldError: 'INVALID_VALUE' }, 'country_code must be a 2-letter ISO-3166 code, not hashed.', [...path, { fieldName: 'address_info' }, { fieldName: 'country_code' }]);
      }
      for (const name of ['city', 'state', 'postalCode']) {
        const v = get(address, name);
        if (v !== undefined && (typeof v !== 'string' || isSha256Hex(v))) {
          return rowError({ fieldError: 'INVALID_VALUE' }, `${snake(name)} must be sent in the clear, not hashed.`, [...path, { fieldName: 'address_info' }, { fieldName: snake(name) }]);
        }
      }
      if (get(address, 'hashedFirstName') === undefined && get(address, 'hashedLastName') === undefined && get(address, 'hashedStreetAddress') === undefined) {
        return rowError({ fieldError: 'REQUIRED' }, 'address_info needs hashed names or a hashed street address.', [...path, { fieldName: 'address_info' }]);
      }
    } else if (get(id, 'mobileId') !== undefined || get(id, 'thirdPartyUserId') !== undefined) {
      return rowError({ conversionUploadError: 'UNSUPPORTED_USER_IDENTIFIER' }, 'The provided user identifiers are not supported. Use only hashed email or phone number and try again.', path);
    } else {
      return rowError({ fieldError: 'REQUIRED' }, 'A user identifier must set one identifier.', path);
    }
  }
  return OK;
}

function checkConversionAction(v: unknown, cid: string): RowCheck {
  if (v === undefined) return rowError({ fieldError: 'REQUIRED' }, 'The required field was not present.', [{ fieldName: 'conversion_action' }]);
  const m = typeof v === 'string' ? CONVERSION_ACTION.exec(v) : null;
  if (!m) return rowError({ requestError: 'RESOURCE_NAME_MALFORMED' }, 'Resource name is malformed: expected customers/{customer_id}/conversionActions/{id}.', [{ fieldName: 'conversion_action' }]);
  if (m[1] !== cid) return rowError({ conversionUploadError: 'NO_CONVERSION_ACTION_FOUND' }, 'The conversion action specified in the upload request cannot be found.', [{ fieldName: 'conversion_action' }]);
  return OK;
}

function checkClick(c: Record<string, unknown>, cid: string, seenOrderIds: Set<string>): RowCheck {
  // An order id seen earlier in the request is a duplicate whether or not that earlier row was valid.
  const orderId = get(c, 'orderId');
  if (orderId !== undefined) {
    if (!isNonEmptyString(orderId)) return rowError({ fieldError: 'INVALID_VALUE' }, 'order_id must be a non-empty string.', [{ fieldName: 'order_id' }]);
    if (seenOrderIds.has(orderId)) return rowError({ conversionUploadError: 'DUPLICATE_ORDER_ID' }, 'Imported events include multiple conversions with the same order ID and were not processed.', [{ fieldName: 'order_id' }]);
    seenOrderIds.add(orderId);
  }
  const action = checkConversionAction(get(c, 'conversionAction'), cid);
  if (!action.ok) return action;
  const when = get(c, 'conversionDateTime');
  if (when === undefined) return rowError({ fieldError: 'REQUIRED' }, 'The required field was not present.', [{ fieldName: 'conversion_date_time' }]);
  if (!validDateTime(when)) return rowError({ dateError: 'INVALID_FIELD_VALUES_IN_DATE_TIME' }, 'The field values in the date time are invalid: expected yyyy-mm-dd hh:mm:ss+|-hh:mm.', [{ fieldName: 'conversion_date_time' }]);
  const gclid = get(c, 'gclid');
  const gbraid = get(c, 'gbraid');
  const wbraid = get(c, 'wbraid');
  for (const [name, v] of [['gclid', gclid], ['gbraid', gbraid], ['wbraid', wbraid]] as const) {
    if (v !== undefined && !isNonEmptyString(v)) return rowError({ fieldError: 'INVALID_VALUE' }, `${name} must be a non-empty string.`, [{ fieldName: name }]);
  }
  if (gbraid !== undefined && wbraid !== undefined) return rowError({ conversionUploadError: 'GBRAID_WBRAID_BOTH_SET' }, "Can't use both gbraid and wbraid parameters. Use only 1 and try again.", [{ fieldName: 'wbraid' }]);
  if (gclid !== undefined && (gbraid !== undefined || wbraid !== undefined)) {
    return rowError({ fieldError: 'VALUE_MUST_BE_UNSET' }, 'gbraid/wbraid cannot be set together with gclid.', [{ fieldName: gbraid !== undefined ? 'gbraid' : 'wbraid' }]);
  }
  const ids = get(c, 'userIdentifiers');
  if (gclid === undefined && gbraid === undefined && wbraid === undefined && !(Array.isArray(ids) && ids.length > 0)) {
    return rowError({ fieldError: 'REQUIRED' }, 'A click id (gclid, gbraid or wbraid) or user identifiers are required.', [{ fieldName: 'gclid' }]);
  }
  const idCheck = checkIdentifiers(ids, false);
  if (!idCheck.ok) return idCheck;
  const currency = get(c, 'currencyCode');
  if (currency !== undefined && !isCurrencyCode(currency)) return rowError({ currencyCodeError: 'UNSUPPORTED' }, 'The currency code is not supported.', [{ fieldName: 'currency_code' }]);
  return OK;
}

function checkAdjustment(a: Record<string, unknown>, cid: string): RowCheck {
  const action = checkConversionAction(get(a, 'conversionAction'), cid);
  if (!action.ok) return action;
  const type = get(a, 'adjustmentType');
  const orderId = get(a, 'orderId');
  if (orderId !== undefined && !isNonEmptyString(orderId)) return rowError({ fieldError: 'INVALID_VALUE' }, 'order_id must be a non-empty string.', [{ fieldName: 'order_id' }]);
  const pair = get(a, 'gclidDateTimePair');
  if (pair !== undefined) {
    const p = pair as Record<string, unknown>;
    const when = get(p, 'conversionDateTime');
    if (when !== undefined && !validDateTime(when)) return rowError({ dateError: 'INVALID_FIELD_VALUES_IN_DATE_TIME' }, 'The field values in the date time are invalid.', [{ fieldName: 'gclid_date_time_pair' }, { fieldName: 'conversion_date_time' }]);
  }
  const adjustedAt = get(a, 'adjustmentDateTime');
  if (adjustedAt !== undefined && !validDateTime(adjustedAt)) return rowError({ dateError: 'INVALID_FIELD_VALUES_IN_DATE_TIME' }, 'The field values in the date time are invalid.', [{ fieldName: 'adjustment_date_time' }]);
  if (type === 'ENHANCEMENT') {
    // Google: orderId is required for ENHANCEMENT (it must equal the tag's transaction_id).
    if (orderId === undefined) return rowError({ fieldError: 'REQUIRED' }, 'order_id is required for ENHANCEMENT adjustments.', [{ fieldName: 'order_id' }]);
    const ids = get(a, 'userIdentifiers');
    if (!Array.isArray(ids) || ids.length === 0) return rowError({ fieldError: 'REQUIRED_NONEMPTY_LIST' }, 'user_identifiers are required for ENHANCEMENT adjustments.', [{ fieldName: 'user_identifiers' }]);
    const idCheck = checkIdentifiers(ids, true);
    if (!idCheck.ok) return idCheck;
    const ua = get(a, 'userAgent');
    if (ua !== undefined && typeof ua !== 'string') return rowError({ fieldError: 'INVALID_VALUE' }, 'user_agent must be a string.', [{ fieldName: 'user_agent' }]);
  } else {
    if (orderId === undefined && pair === undefined) return rowError({ fieldError: 'REQUIRED' }, 'order_id or gclid_date_time_pair is required.', [{ fieldName: 'order_id' }]);
    if (type === 'RESTATEMENT' && !isObject(get(a, 'restatementValue'))) return rowError({ fieldError: 'REQUIRED' }, 'restatement_value is required for RESTATEMENT.', [{ fieldName: 'restatement_value' }]);
    if (get(a, 'userIdentifiers') !== undefined) return rowError({ fieldError: 'VALUE_MUST_BE_UNSET' }, 'user_identifiers are only allowed on ENHANCEMENT adjustments.', [{ fieldName: 'user_identifiers' }]);
  }
  return OK;
}

interface UploadKind {
  listField: 'conversions' | 'conversionAdjustments';
  listFieldSnake: string;
  rowFields: Fields;
  /** Parser-level checks beyond unknown fields (enums). */
  parseRow(row: Record<string, unknown>, where: string): SimReply | null;
  checkRow(row: Record<string, unknown>, cid: string, seenOrderIds: Set<string>): RowCheck;
  result(row: Record<string, unknown>): Record<string, unknown>;
  tooManyCode: Record<string, string>;
  rejectCode: Record<string, string>;
}

const CLICK_UPLOAD: UploadKind = {
  listField: 'conversions',
  listFieldSnake: 'conversions',
  rowFields: CLICK_FIELDS,
  parseRow(row, where) {
    const value = get(row, 'conversionValue');
    // Proto JSON takes a double as a number or a numeric string.
    if (value !== undefined && !(typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))) {
      return badJson(`${where}.conversion_value`, 'Invalid value (TYPE_DOUBLE)');
    }
    return parseIdentifiers(get(row, 'userIdentifiers'), `${where}.user_identifiers`);
  },
  checkRow: checkClick,
  result(row) {
    const r: Record<string, unknown> = { conversionAction: get(row, 'conversionAction'), conversionDateTime: get(row, 'conversionDateTime') };
    for (const k of ['gclid', 'gbraid', 'wbraid']) if (get(row, k) !== undefined) r[k] = get(row, k);
    if (get(row, 'userIdentifiers') !== undefined) r.userIdentifiers = get(row, 'userIdentifiers');
    return r;
  },
  tooManyCode: { conversionUploadError: 'TOO_MANY_CONVERSIONS_IN_REQUEST' },
  rejectCode: { conversionUploadError: 'CONVERSION_PRECEDES_EVENT' },
};

const ADJUSTMENT_UPLOAD: UploadKind = {
  listField: 'conversionAdjustments',
  listFieldSnake: 'conversion_adjustments',
  rowFields: ADJUSTMENT_FIELDS,
  parseRow(row, where) {
    const type = get(row, 'adjustmentType');
    if (!ADJUSTMENT_TYPES.has(type as string)) return badJson(`${where}.adjustment_type`, 'Invalid value (TYPE_ENUM)');
    const pair = get(row, 'gclidDateTimePair');
    if (pair !== undefined && !isObject(pair)) return badJson(`${where}.gclid_date_time_pair`, 'Expected an object.');
    return parseIdentifiers(get(row, 'userIdentifiers'), `${where}.user_identifiers`);
  },
  checkRow: (row, cid) => checkAdjustment(row, cid),
  result(row) {
    const r: Record<string, unknown> = { conversionAction: get(row, 'conversionAction'), adjustmentType: get(row, 'adjustmentType') };
    for (const k of ['orderId', 'adjustmentDateTime', 'gclidDateTimePair']) if (get(row, k) !== undefined) r[k] = get(row, k);
    return r;
  },
  tooManyCode: { conversionAdjustmentUploadError: 'TOO_MANY_ADJUSTMENTS_IN_REQUEST' },
  rejectCode: { conversionAdjustmentUploadError: 'CONVERSION_NOT_FOUND' },
};

export interface GoogleSimulatorOptions {
  /** Only accept access tokens issued by `POST /token` and not yet expired (default false: any Bearer token). */
  requireIssuedToken?: boolean;
  dataManager?: DataManagerSimulatorOptions;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * A service-account assertion as Google's token endpoint checks it (RFC 7523 §3): three base64url parts, RS256,
 * `iss`, `scope`, `aud` = the token endpoint, `exp` at most an hour after `iat`. The signature is not verified
 * (the simulator does not know the key), only present.
 */
function assertionProblem(assertion: unknown, nowMs: number): string | null {
  if (typeof assertion !== 'string') return 'Missing required parameter: assertion';
  const parts = assertion.split('.');
  if (parts.length !== 3 || parts[2] === '') return 'Invalid JWT: expected header.claims.signature';
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'Invalid JWT: header or claims are not base64url JSON';
  }
  if (header.alg !== 'RS256') return 'Invalid JWT: alg must be RS256';
  if (typeof claims.iss !== 'string' || !claims.iss.includes('@')) return 'Invalid JWT: iss must be the service account email';
  if (typeof claims.scope !== 'string' || claims.scope === '') return 'Invalid JWT: scope is required';
  if (claims.aud !== 'https://oauth2.googleapis.com/token') return 'Invalid JWT: aud must be https://oauth2.googleapis.com/token';
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (!Number.isInteger(iat) || !Number.isInteger(exp) || exp <= iat || exp - iat > 3600) return 'Invalid JWT: exp must be at most one hour after iat';
  if (exp * 1000 <= nowMs) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
  return null;
}

export function createGoogleSimulator(opts: GoogleSimulatorOptions = {}): PlatformSimulator {
  /** access token → expiry (ms). */
  const issued = new Map<string, number>();

  function checkAuth(req: SimRequest, version: string, nowMs: number): SimReply | null {
    const auth = firstValue(req.headers.authorization);
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (token === '') {
      return rpcError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    }
    if (isRevokedCredential(token)) {
      return adsFailure(401, 'UNAUTHENTICATED', version, { authenticationError: 'OAUTH_TOKEN_INVALID' }, 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    }
    if (opts.requireIssuedToken) {
      const expiresAt = issued.get(token);
      if (expiresAt === undefined) return adsFailure(401, 'UNAUTHENTICATED', version, { authenticationError: 'OAUTH_TOKEN_INVALID' }, 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
      if (expiresAt <= nowMs) return adsFailure(401, 'UNAUTHENTICATED', version, { authenticationError: 'OAUTH_TOKEN_EXPIRED' }, 'The OAuth access token has expired.');
    }
    const devToken = firstValue(req.headers['developer-token']);
    if (!isNonEmptyString(devToken)) {
      return adsFailure(400, 'INVALID_ARGUMENT', version, { requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' }, 'The developer-token parameter is required for all requests.');
    }
    const loginCid = firstValue(req.headers['login-customer-id']);
    if (loginCid !== undefined && !/^\d+$/.test(loginCid)) {
      // Google: login-customer-id is the manager CID, digits only (no dashes).
      return adsFailure(400, 'INVALID_ARGUMENT', version, { authenticationError: 'CLIENT_CUSTOMER_ID_INVALID' }, 'The login-customer-id header must be digits only.');
    }
    return null;
  }

  function upload(kind: UploadKind, req: SimRequest, cid: string, version: string, ctx: HandleContext): SimReply {
    const denied = checkAuth(req, version, ctx.nowMs);
    if (denied) return denied;
    const body = req.body;
    if (!isObject(body)) return badJson('', 'Expected a JSON object.');
    const unknown = REQUEST_FIELDS.unknownKey(body);
    if (unknown || (kind.listField === 'conversions' ? get(body, 'conversionAdjustments') : get(body, 'conversions')) !== undefined) {
      return badJson('', `Unknown name "${unknown ?? (kind.listField === 'conversions' ? 'conversionAdjustments' : 'conversions')}": Cannot find field.`);
    }
    const rows = get(body, kind.listField);
    if (rows !== undefined && !Array.isArray(rows)) return badJson(kind.listFieldSnake, 'Proto field is not repeating, cannot start list.');
    if (kind === CLICK_UPLOAD) {
      // The request contract: what the proto-JSON parser refuses (unknown field, wrong type, bad enum value).
      const violation = CLICK_CONTRACT.check(camelKeys(body)).find((v) => v.kind === 'unknown_field' || v.kind === 'wrong_type' || v.kind === 'wrong_enum');
      if (violation) return { ...badJson(violation.path.replace(/\.(\d+)(?=\.|$)/g, '[$1]').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), violation.message), rejected: Array.isArray(rows) ? rows.length : 0 };
    }
    const list = (rows ?? []) as unknown[];
    for (let i = 0; i < list.length; i++) {
      const where = `${kind.listFieldSnake}[${i}]`;
      const row = list[i];
      if (!isObject(row)) return badJson(where, 'Expected an object.');
      const unknownRow = kind.rowFields.unknownKey(row);
      if (unknownRow) return badJson(where, `Unknown name "${unknownRow}": Cannot find field.`);
      const parseProblem = kind.parseRow(row, where);
      if (parseProblem) return { ...parseProblem, rejected: list.length };
    }
    // Google: partial_failure must be true for these uploads.
    if (get(body, 'partialFailure') !== true) {
      return { ...adsFailure(400, 'INVALID_ARGUMENT', version, { partialFailureError: 'PARTIAL_FAILURE_MODE_REQUIRED' }, 'The partial failure field must be set to true.'), rejected: list.length };
    }
    if (list.length === 0) {
      return adsFailure(400, 'INVALID_ARGUMENT', version, { fieldError: 'REQUIRED_NONEMPTY_LIST' }, `${kind.listFieldSnake} must not be empty.`);
    }
    if (list.length > GOOGLE_MAX_ROWS) {
      return { ...adsFailure(400, 'INVALID_ARGUMENT', version, kind.tooManyCode, `Upload fewer than ${GOOGLE_MAX_ROWS + 1} rows in a single request.`), rejected: list.length };
    }
    const jobIdIn = get(body, 'jobId');
    if (jobIdIn !== undefined && !(Number.isInteger(Number(jobIdIn)) && Number(jobIdIn) >= 1 && Number(jobIdIn) < 2 ** 31)) {
      return adsFailure(400, 'INVALID_ARGUMENT', version, { conversionUploadError: 'INVALID_JOB_ID' }, 'A job ID must be a positive integer in the range [1, 2^31).');
    }

    const results: Array<Record<string, unknown>> = new Array(list.length);
    const errors: GoogleAdsError[] = [];
    const seenOrderIds = new Set<string>();
    for (let i = 0; i < list.length; i++) {
      const row = list[i] as Record<string, unknown>;
      let check = kind.checkRow(row, cid, seenOrderIds);
      if (check.ok && ctx.rejectEvent?.(get(row, 'orderId') as string | undefined)) {
        check = rowError(kind.rejectCode, 'Rejected by the simulator (reject_events).');
      }
      if (check.ok) {
        results[i] = kind.result(row);
      } else {
        results[i] = {};
        errors.push({
          errorCode: check.error.errorCode,
          message: check.error.message,
          location: { fieldPathElements: [{ fieldName: kind.listFieldSnake, index: i }, ...check.error.path] },
        });
      }
    }
    const out: Record<string, unknown> = { results, jobId: String(jobIdIn ?? Math.floor(Math.random() * 2 ** 31)) };
    if (errors.length > 0) {
      out.partialFailureError = {
        code: 3,
        message: errors.map((e) => `${e.message}, at ${e.location.fieldPathElements.map((p) => (p.index === undefined ? p.fieldName : `${p.fieldName}[${p.index}]`)).join('.')}`).join('; '),
        details: [{ '@type': failureType(version), errors, requestId: randomId(16) }],
      };
    }
    return { status: 200, body: out, accepted: list.length - errors.length, rejected: errors.length };
  }

  function handleCustomerMethod(req: SimRequest, ctx: HandleContext): SimReply {
    const version = req.params.version ?? '';
    const [cid, method] = (req.params.customerMethod ?? '').split(':');
    if (!/^v\d+$/.test(version) || !cid || !/^\d+$/.test(cid)) {
      return rpcError(404, 'NOT_FOUND', `Method not found: ${req.path}`);
    }
    if (method === 'uploadClickConversions') return upload(CLICK_UPLOAD, req, cid, version, ctx);
    if (method === 'uploadConversionAdjustments') return upload(ADJUSTMENT_UPLOAD, req, cid, version, ctx);
    return rpcError(404, 'NOT_FOUND', `Method not found: ${req.path}`);
  }

  function handleToken(req: SimRequest, ctx: HandleContext): SimReply {
    const form = (isObject(req.body) ? req.body : {}) as Record<string, unknown>;
    const bad = (status: number, error: string, description: string): SimReply => ({ status, body: { error, error_description: description }, accepted: 0, rejected: 0 });
    let scope = 'https://www.googleapis.com/auth/adwords';
    if (form.grant_type === JWT_BEARER_GRANT) {
      const problem = assertionProblem(form.assertion, ctx.nowMs);
      if (problem) return bad(400, 'invalid_grant', problem);
      scope = String(JSON.parse(Buffer.from(String(form.assertion).split('.')[1]!, 'base64url').toString('utf8')).scope);
    } else {
      if (form.grant_type !== 'refresh_token') return bad(400, 'unsupported_grant_type', 'Invalid grant_type.');
      if (!isNonEmptyString(form.client_id) || !isNonEmptyString(form.client_secret)) return bad(401, 'invalid_client', 'The OAuth client was not found.');
      if (!isNonEmptyString(form.refresh_token)) return bad(400, 'invalid_request', 'Missing required parameter: refresh_token');
      if (isRevokedCredential(form.refresh_token)) return bad(400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    const accessToken = `sim-${randomHexId(16)}`;
    // Drop expired tokens lazily so a long demo run does not grow the map without bound.
    for (const [t, exp] of issued) if (exp <= ctx.nowMs) issued.delete(t);
    issued.set(accessToken, ctx.nowMs + TOKEN_TTL_SEC * 1000);
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: TOKEN_TTL_SEC, scope, token_type: 'Bearer' },
      accepted: 0,
      rejected: 0,
    };
  }

  function rowsOf(body: unknown, path: string): unknown[] | null {
    if (!isObject(body)) return null;
    const rows = path.endsWith(':uploadConversionAdjustments') ? get(body, 'conversionAdjustments') : get(body, 'conversions');
    return Array.isArray(rows) ? rows : null;
  }

  function issuedTokenOk(token: string, nowMs: number): boolean {
    if (!opts.requireIssuedToken) return true;
    const expiresAt = issued.get(token);
    return expiresAt !== undefined && expiresAt > nowMs;
  }

  return {
    name: 'google',
    routes: [
      ...createDataManagerRoutes(opts.dataManager, issuedTokenOk),
      { url: '/:version/customers/:customerMethod', upload: true, handle: handleCustomerMethod },
      { url: '/token', upload: false, handle: handleToken },
    ],
    eventIds(body, path) {
      if (isDataManagerPath(path)) return dataManagerEventIds(body);
      return (rowsOf(body, path) ?? []).map((r) => {
        const id = isObject(r) ? get(r, 'orderId') : undefined;
        return typeof id === 'string' ? id : undefined;
      });
    },
    eventCount(body, path) {
      if (isDataManagerPath(path)) return dataManagerEventCount(body);
      return rowsOf(body, path)?.length ?? 0;
    },
    rateLimited(_retryAfterS, path) {
      if (isDataManagerPath(path)) return dataManagerRateLimited();
      return adsFailure(429, 'RESOURCE_EXHAUSTED', /^\/(v\d+)\//.exec(path)?.[1] ?? 'v23', { quotaError: 'RESOURCE_EXHAUSTED' }, 'Too many requests. Retry in a few seconds.');
    },
    serverError(path) {
      if (isDataManagerPath(path)) return dataManagerServerError();
      return rpcError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    },
  };
}
