SELECT destination_id, status, platform, n FROM delivery_totals
