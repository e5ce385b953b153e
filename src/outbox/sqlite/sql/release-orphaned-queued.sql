-- As release-orphaned-leases.sql, for queue entries: a gateway that stopped left them leased.
UPDATE delivery_queue SET lease_until = NULL WHERE lease_until IS NOT NULL AND lease_until > :now
