#!/usr/bin/env python3
"""Writes k8s/observability/keyledger-dashboard.json, the Grafana dashboard, from the panel list below.

Run from the repository root: deploy/observability/dashboard.py
Every metric these queries name is checked against a live scrape by io.keyledger.config.DashboardTest.
"""
import json
import pathlib

NS = 'namespace="$namespace"'
RI = '[$__rate_interval]'

# (title, unit, [(legend, expr)], description)
PANELS = [
    ("Requests per second by operation", "reqps",
     [("{{method}} {{uri}}", f'sum by (method, uri) (rate(http_server_requests_seconds_count{{{NS}}}{RI}))')],
     "HTTP requests on the API port, by route template."),
    ("Errors per second by operation (4xx, 5xx)", "reqps",
     [("{{method}} {{uri}} {{status}}",
       f'sum by (method, uri, status) (rate(http_server_requests_seconds_count{{{NS}, outcome=~"CLIENT_ERROR|SERVER_ERROR"}}{RI}))')],
     "Responses with a 4xx or 5xx status, by route and status."),
    ("p99 latency by operation", "s",
     [("{{method}} {{uri}}",
       f'histogram_quantile(0.99, sum by (le, method, uri) (rate(http_server_requests_seconds_bucket{{{NS}}}{RI})))')],
     "99th percentile of HTTP request time across replicas, from the route histograms."),
    ("Keys created", "short",
     [("keys created", f'sum(increase(keyledger_keys_created_total{{{NS}}}{RI}))')],
     "API keys issued (KeyCreated events) per interval."),
    ("Verifications by result", "reqps",
     [("{{result}}", f'sum by (result) (rate(keyledger_keys_verification_results_total{{{NS}}}{RI}))')],
     "API-key verifications (authentications with a key and POST /api/v2/api-keys/verify), by result."),
    ("Verification time p99 (per replica)", "s",
     [("{{pod}}", f'max by (pod) (keyledger_keys_verification_seconds{{{NS}, quantile="0.99"}})')],
     "99th percentile of key verification time; the KeyledgerVerificationSlow alert fires above 10 ms."),
    ("Relay publication lag", "s",
     [("p99 {{pod}}", f'max by (pod) (keyledger_relay_publication_lag_seconds{{{NS}, quantile="0.99"}})'),
      ("p50 {{pod}}", f'max by (pod) (keyledger_relay_publication_lag_seconds{{{NS}, quantile="0.5"}})')],
     "Time from an event's append to Kafka's acknowledgement."),
    ("Relay checkpoint and state", "short",
     [("checkpoint position", f'max(keyledger_relay_checkpoint_position{{{NS}}})'),
      ("events published / s", f'sum(rate(keyledger_relay_events_published_total{{{NS}}}{RI}))'),
      ("stalled", f'max(keyledger_relay_stalled{{{NS}}})'),
      ("leaders", f'sum(keyledger_relay_leader{{{NS}}})')],
     "Last published event position, publication rate, stalled (0/1) and how many replicas lead (should be 1)."),
    ("Usage records", "reqps",
     [("applied", f'sum(rate(keyledger_usage_records_applied_total{{{NS}}}{RI}))'),
      ("skipped", f'sum(rate(keyledger_usage_records_skipped_total{{{NS}}}{RI}))'),
      ("dead-lettered", f'sum(rate(keyledger_usage_records_dead_lettered_total{{{NS}}}{RI}))')],
     "Authentication-usage records the consumer applied, skipped (unknown key) and sent to the DLQ."),
    ("Usage consumer lag", "short",
     [("{{pod}}",
       f'max by (pod) (kafka_consumer_fetch_manager_records_lag_max{{{NS}, client_id=~"kafka-consumer-authentication-usage.*"}})')],
     "Records the usage consumer is behind on its most lagging partition (Kafka's records-lag-max), per replica."),
    ("Key cache hit ratio", "percentunit",
     [("hit ratio", f'sum(rate(keyledger_keys_cache_requests_total{{{NS}, result="hit"}}{RI})) '
                    f'/ sum(rate(keyledger_keys_cache_requests_total{{{NS}}}{RI}))')],
     "Share of well-formed presented keys answered from the verified-key or unknown-key cache."),
    ("Rate-limit rejections (429)", "reqps",
     [("{{limit}}", f'sum by (limit) (rate(keyledger_rate_limit_rejections_total{{{NS}}}{RI}))')],
     "Requests refused by a rate limit: key creation per org, verification per caller, failed API-key authentications per address."),
    ("JVM heap and non-heap", "bytes",
     [("used {{area}}", f'sum by (area) (jvm_memory_used_bytes{{{NS}}})'),
      ("committed {{area}}", f'sum by (area) (jvm_memory_committed_bytes{{{NS}}})')],
     "JVM memory in use and committed, all replicas."),
    ("GC pause time per second", "s",
     [("{{gc}}", f'sum by (gc) (rate(jvm_gc_pause_seconds_sum{{{NS}}}{RI}))'),
      ("pauses / s", f'sum(rate(jvm_gc_pause_seconds_count{{{NS}}}{RI}))')],
     "Time spent in GC pauses, and how many."),
]


def panel(i, title, unit, targets, description):
    return {
        "id": i + 1,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i // 2) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": [{"refId": chr(ord("A") + j), "expr": expr, "legendFormat": legend,
                     "datasource": {"type": "prometheus", "uid": "${datasource}"}}
                    for j, (legend, expr) in enumerate(targets)],
    }


dashboard = {
    "uid": "keyledger",
    "title": "keyledger",
    "description": "keyledger: API, key verification, relay to Kafka, usage consumer, caches, rate limits, JVM.",
    "tags": ["keyledger"],
    "timezone": "browser",
    "schemaVersion": 39,
    "version": 1,
    "editable": True,
    "time": {"from": "now-1h", "to": "now"},
    "refresh": "30s",
    "templating": {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source"},
        {"name": "namespace", "type": "query", "label": "Namespace",
         "datasource": {"type": "prometheus", "uid": "${datasource}"},
         "query": {"query": "label_values(keyledger_relay_leader, namespace)", "refId": "namespace"},
         "definition": "label_values(keyledger_relay_leader, namespace)", "refresh": 2},
    ]},
    "panels": [panel(i, *p) for i, p in enumerate(PANELS)],
}

out = pathlib.Path(__file__).resolve().parents[2] / "k8s" / "observability" / "keyledger-dashboard.json"
out.write_text(json.dumps(dashboard, indent=2) + "\n", encoding="utf-8")
print(f"wrote {out}")
