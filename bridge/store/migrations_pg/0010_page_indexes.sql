-- particle-bridge schema, version 10: indexes in the sort orders of the API's list routes, so
-- a keyset page (WHERE (time, id) > (last row's) ORDER BY time, id LIMIT n) starts at its
-- first row through the index and costs the same on the first and on the last page.
CREATE INDEX measurements_by_time_id ON measurements (ts_ms, id);
CREATE INDEX status_posts_by_time_id ON status_posts (ts_ms, id);
CREATE INDEX events_by_time_id ON events (published_at_ms, id);
CREATE INDEX connectivity_by_time ON connectivity (ts_ms, device_id, online);
CREATE INDEX devices_by_name ON devices (name, particle_id);
CREATE INDEX devices_by_last_heard ON devices (last_heard_ms, particle_id);
