-- One probe of the binary search for the first attempt of a window (attempts are appended in time order).
SELECT id, at FROM attempts WHERE id >= :id ORDER BY id LIMIT 1
