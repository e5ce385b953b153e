import Database from 'better-sqlite3';

// The gateway's own record of its requests (SQLite `attempts`: send time, latency, HTTP status), read-only after
// the run. The simulators see arrivals; this says when each request was SENT and when its answer came back, which
// is what tells a request already in flight when a 429 was answered from one sent in spite of it.

export interface SentRequest {
  destination: string;
  sentAt: number;
  answeredAt: number;
  status: number | null;
}

export function sentRequests(dbPath: string): SentRequest[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        // Failed attempts are in `attempts`; the one that delivered a row is folded onto it (src/outbox/README.md).
        `SELECT destination, sentAt, answeredAt, status FROM (
           SELECT d.destination_id AS destination, a.at AS sentAt, a.at + a.latency_ms AS answeredAt, a.http_status AS status
             FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
           UNION ALL
           SELECT destination_id, last_attempt_at, last_attempt_at + sent_latency_ms, sent_http_status
             FROM deliveries WHERE sent_latency_ms IS NOT NULL
         )
         GROUP BY destination, sentAt, answeredAt, status
         ORDER BY sentAt`,
      )
      .all() as SentRequest[];
    return rows;
  } finally {
    db.close();
  }
}

/** Requests sent after a 429 had been answered and before its Retry-After deadline (counted from the answer). */
export function sentBeforeDeadline(requests: SentRequest[], destination: string, retryAfterS: number): SentRequest[] {
  const mine = requests.filter((r) => r.destination === destination);
  const limits = mine.filter((r) => r.status === 429);
  return mine.filter((r) => limits.some((l) => r.sentAt >= l.answeredAt && r.sentAt < l.answeredAt + retryAfterS * 1000));
}
