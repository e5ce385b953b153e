import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRevokedCredential, isObject } from './checks.js';

// The two quality read APIs Matchkey pulls (src/diagnostics/quality/pull.ts), answering in the platforms' shapes:
//   Meta      GET /:version/dataset_quality?dataset_id=&agent_name=&fields=web{…}
//             https://developers.facebook.com/docs/marketing-api/conversions-api/dataset-quality-api
//   Pinterest GET /v5/ad_accounts/:id/conversion_eqs?lookback_period=1d|14d
//             https://developers.pinterest.com/docs/track-conversions/get-event-quality-score/
//   Google    POST /:version/customers/:cid/googleAds:searchStream  FROM offline_conversion_upload_client_summary
//             https://developers.google.com/google-ads/api/fields/v26/offline_conversion_upload_client_summary
//             (the route is the reporting simulator's, attributed.ts, which asks this module for the summary)
// What they report is set through POST /_sim/quality {"meta": <dataset_quality answer>, "pinterest": <conversion_eqs
// answer>, "meta_datasets": {"<dataset_id>": <dataset_quality answer>}, "google": <OfflineConversionUploadClientSummary
// in proto-JSON names, or null for no uploads>} (any of them; `meta_datasets` answers for those datasets only, `meta`
// for every other), read back with GET and reset to the defaults below with DELETE.

const coverage = (percentage: number) => ({ percentage });

/** A dataset a Conversions API integration feeds well except for click ids (a typical storefront). */
export function defaultMetaQuality(): { web: unknown[] } {
  const keys = (shares: Record<string, number>) => Object.entries(shares).map(([identifier, p]) => ({ identifier, coverage: coverage(p) }));
  return {
    web: [
      {
        event_name: 'Purchase',
        event_match_quality: {
          composite_score: 7.4,
          match_key_feedback: keys({ email: 97.2, phone: 68.5, first_name: 95.1, last_name: 95.1, city: 90.3, state: 90.3, zip_code: 90.3, country: 99.1, external_id: 100, ip_address: 99.6, user_agent: 99.6, browser_id: 81.4, click_id: 23.8 }),
          diagnostics: [
            { name: 'Send click ID (fbc)', description: 'Click ID is missing on a share of Purchase events', solution: 'Capture the fbclid URL parameter or the _fbc cookie and send it as fbc.', percentage: 76.2 },
          ],
        },
        event_coverage: { percentage: 92.5, goal_percentage: 75 },
        dedupe_key_feedback: [{ dedupe_key: 'event_id', browser_events_with_dedupe_key: coverage(98.1), server_events_with_dedupe_key: coverage(100) }],
        data_freshness: { upload_frequency: 'real_time' },
      },
      {
        event_name: 'AddToCart',
        event_match_quality: {
          composite_score: 5.2,
          match_key_feedback: keys({ email: 31.5, external_id: 44.2, ip_address: 99.8, user_agent: 99.8, browser_id: 88.9, click_id: 25.1 }),
          diagnostics: [],
        },
        event_coverage: { percentage: 61.3, goal_percentage: 75 },
        dedupe_key_feedback: [{ dedupe_key: 'event_id', browser_events_with_dedupe_key: coverage(97.5), server_events_with_dedupe_key: coverage(100) }],
        data_freshness: { upload_frequency: 'real_time' },
      },
    ],
  };
}

export function defaultPinterestQuality(): unknown[] {
  return [
    {
      overall_status: 'GOOD',
      source_platform: 'WEB',
      ingestion_source: 'CONVERSIONS_API',
      quality_components: {
        email: { checkout: { coverage: 96.4 }, add_to_cart: { coverage: 30.2 } },
        external_id: { checkout: { coverage: 100 }, add_to_cart: { coverage: 41 } },
        ip_address: { checkout: { coverage: 100 }, add_to_cart: { coverage: 100 } },
        user_agent: { checkout: { coverage: 100 }, add_to_cart: { coverage: 100 } },
        click_id: { checkout: { coverage: 12.5, issues: { missing_click_id: { percentage: 87.5 } } } },
      },
    },
  ];
}

/** A customer uploading through the API for a week, with a share of clicks Google cannot find (gclid lost or too old). */
export function defaultGoogleUploadSummary(): Record<string, unknown> {
  const days = [
    ['2026-11-28', 58, 4], ['2026-11-29', 61, 5], ['2026-11-30', 55, 3], ['2026-12-01', 63, 6], ['2026-12-02', 60, 4], ['2026-12-03', 57, 5], ['2026-12-04', 52, 4],
  ] as const;
  const successful = days.reduce((n, d) => n + d[1], 0);
  const failed = days.reduce((n, d) => n + d[2], 0);
  return {
    client: 'GOOGLE_ADS_API',
    status: 'GOOD',
    totalEventCount: String(successful + failed),
    successfulEventCount: String(successful),
    successRate: Math.round((successful / (successful + failed)) * 10_000) / 10_000,
    pendingEventCount: '0',
    pendingRate: 0,
    lastUploadDateTime: '2026-12-04 08:41:07',
    dailySummaries: days.map(([uploadDate, ok, ko]) => ({ uploadDate, successfulCount: String(ok), failedCount: String(ko), pendingCount: '0' })),
    alerts: [
      { error: { conversionUploadError: 'CLICK_NOT_FOUND' }, errorPercentage: 0.0577 },
      { error: { conversionUploadError: 'EXPIRED_EVENT' }, errorPercentage: 0.0192 },
    ],
  };
}

/** The searchStream answer to a query FROM offline_conversion_upload_client_summary (null summary: no rows). */
export function uploadSummaryAnswer(summary: Record<string, unknown> | null, cid: string, query: string, requestId: string): unknown[] {
  const client = /client\s*=\s*'([A-Z_]+)'/i.exec(query)?.[1];
  const row = summary && (client === undefined || client === summary.client)
    ? { offlineConversionUploadClientSummary: { resourceName: `customers/${cid}/offlineConversionUploadClientSummaries/${String(summary.client)}`, ...summary } }
    : null;
  return [{ results: row ? [row] : [], fieldMask: Object.keys(summary ?? {}).map((f) => `offlineConversionUploadClientSummary.${f}`).join(','), requestId }];
}

function reject(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).send(body);
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** What the reporting route (attributed.ts) needs from this module's state. */
export interface QualityState {
  googleUploadSummary(): Record<string, unknown> | null;
}

export function registerQualityRoutes(app: FastifyInstance): QualityState {
  let google: Record<string, unknown> | null = defaultGoogleUploadSummary();
  let meta: { web: unknown[] } = defaultMetaQuality();
  let pinterest: unknown[] = defaultPinterestQuality();
  let metaDatasets: Record<string, { web: unknown[] }> = {};

  app.get('/:version/dataset_quality', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const token = bearer(request) ?? query.access_token;
    if (!token) return reject(reply, 400, { error: { message: 'An access token is required to request this resource.', type: 'OAuthException', code: 104 } });
    if (isRevokedCredential(token)) return reject(reply, 400, { error: { message: 'Error validating access token: The session has been invalidated.', type: 'OAuthException', code: 190 } });
    if (!query.dataset_id) return reject(reply, 400, { error: { message: '(#100) The parameter dataset_id is required', type: 'OAuthException', code: 100 } });
    return Object.hasOwn(metaDatasets, query.dataset_id) ? metaDatasets[query.dataset_id] : meta;
  });

  app.get('/v5/ad_accounts/:adAccountId/conversion_eqs', async (request, reply) => {
    const token = bearer(request);
    if (!token || isRevokedCredential(token)) return reject(reply, 401, { code: 2, message: 'Authentication failed.' });
    const lookback = (request.query as Record<string, string | undefined>).lookback_period;
    if (lookback !== '1d' && lookback !== '14d') return reject(reply, 400, { code: 1, message: 'Invalid parameters. lookback_period must be one of 1d, 14d.' });
    return pinterest;
  });

  const isDatasetQuality = (v: unknown): v is { web: unknown[] } => isObject(v) && Array.isArray(v.web);
  app.get('/_sim/quality', async () => ({ meta, pinterest, meta_datasets: metaDatasets, google }));
  app.post('/_sim/quality', async (request, reply) => {
    const body = request.body;
    if (!isObject(body)) return reject(reply, 400, { error: { code: 'invalid', message: 'expected {"meta": {"web": […]}, "pinterest": […]}', path: '' } });
    for (const key of Object.keys(body)) {
      if (key !== 'meta' && key !== 'pinterest' && key !== 'meta_datasets' && key !== 'google') {
        return reject(reply, 400, { error: { code: 'invalid', message: `unknown field ${key} (expected meta, pinterest, meta_datasets, google)`, path: key } });
      }
    }
    if (body.google !== undefined && body.google !== null && !(isObject(body.google) && typeof body.google.client === 'string')) {
      return reject(reply, 400, { error: { code: 'invalid', message: 'expected an OfflineConversionUploadClientSummary {"client": "GOOGLE_ADS_API", "successRate": …} or null', path: 'google' } });
    }
    if (body.meta !== undefined && !isDatasetQuality(body.meta)) {
      return reject(reply, 400, { error: { code: 'invalid', message: 'expected a dataset_quality answer {"web": […]}', path: 'meta' } });
    }
    if (body.pinterest !== undefined && !Array.isArray(body.pinterest)) {
      return reject(reply, 400, { error: { code: 'invalid', message: 'expected a conversion_eqs answer (a list)', path: 'pinterest' } });
    }
    if (body.meta_datasets !== undefined) {
      if (!isObject(body.meta_datasets)) return reject(reply, 400, { error: { code: 'invalid', message: 'expected {"<dataset_id>": {"web": […]}}', path: 'meta_datasets' } });
      for (const [id, answer] of Object.entries(body.meta_datasets)) {
        if (!isDatasetQuality(answer)) return reject(reply, 400, { error: { code: 'invalid', message: 'expected a dataset_quality answer {"web": […]}', path: `meta_datasets.${id}` } });
      }
    }
    if (body.meta !== undefined) meta = body.meta as { web: unknown[] };
    if (body.pinterest !== undefined) pinterest = body.pinterest as unknown[];
    if (body.meta_datasets !== undefined) metaDatasets = body.meta_datasets as Record<string, { web: unknown[] }>;
    if (body.google !== undefined) google = body.google as Record<string, unknown> | null;
    return { meta, pinterest, meta_datasets: metaDatasets, google };
  });
  app.delete('/_sim/quality', async (_request, reply) => {
    meta = defaultMetaQuality();
    pinterest = defaultPinterestQuality();
    metaDatasets = {};
    google = defaultGoogleUploadSummary();
    return reply.code(204).send();
  });
  return { googleUploadSummary: () => google };
}
