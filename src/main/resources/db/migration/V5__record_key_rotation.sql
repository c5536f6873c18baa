-- Which key replaced a rotated one, so a key in its grace period cannot be rotated again.
ALTER TABLE api_keys ADD COLUMN replaced_by TEXT;

UPDATE api_keys k
   SET replaced_by = e.data ->> 'replaced_by'
  FROM events e
 WHERE e.event_type = 'KeyRotated' AND e.data ->> 'id' = k.id;
