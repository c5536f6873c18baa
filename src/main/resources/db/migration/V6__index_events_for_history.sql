-- History and point-in-time reads: one stream's events in order, and every stream of an org
-- (stream ids share the prefix 'service-account:<org>:'; text_pattern_ops lets LIKE 'prefix%' use it).
CREATE INDEX events_by_stream_position ON events (stream_id text_pattern_ops, position);
