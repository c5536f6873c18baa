#!/usr/bin/env python3
"""Draws the Grafana dashboard's panels from one Prometheus scrape of keyledger, as a static HTML page with SVG bars.

    deploy/observability/render.py [scrape.txt] [out.html]
    (defaults: target/observability/scrape.txt, written by DashboardTest after its traffic; target/dashboard/index.html)

This is not Grafana and not PromQL: there is no Prometheus here, so no rate() over time. Each panel shows, for
each of its queries, the current value of every series the query selects (exact label matchers applied, values
as exported: counters are totals since start, gauges and quantiles as they are). A histogram_quantile() query is
estimated from the scrape's cumulative buckets (upper bound of the bucket holding the quantile), per the query's
`by` labels. The panel titles, query list and legends come from k8s/observability/keyledger-dashboard.json.
"""
import html
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
scrape_path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "observability" / "scrape.txt"
out_path = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "target" / "dashboard" / "index.html"
dashboard = json.loads((ROOT / "k8s" / "observability" / "keyledger-dashboard.json").read_text())

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
series = []
for line in scrape_path.read_text().splitlines():
    m = LINE.match(line)
    if not m or line.startswith("#"):
        continue
    try:
        value = float(m.group(4))
    except ValueError:
        continue
    series.append((m.group(1), dict(LABEL.findall(m.group(3) or "")), value))

SELECTOR = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}|([a-zA-Z_:][a-zA-Z0-9_:]*)')
MATCHER = re.compile(r'([a-zA-Z_]+)\s*(=~|!~|!=|=)\s*"([^"]*)"')
FUNCS = {"sum", "max", "min", "avg", "rate", "increase", "histogram_quantile", "by", "without", "deriv", "le",
         "method", "uri", "status", "pod", "area", "gc", "limit", "result", "partition", "topic", "namespace"}


def selectors(expr):
    expr = re.sub(r'\[[^\]]*\]', '', expr)
    expr = re.sub(r'\b(by|without)\s*\([^)]*\)', '', expr)
    found = []
    for m in SELECTOR.finditer(expr):
        name = m.group(1) or m.group(3)
        if name in FUNCS or re.match(r'^[0-9.]', name):
            continue
        rest = expr[m.end():].lstrip()
        if m.group(3) and rest.startswith("("):
            continue
        matchers = [(l, op, v) for l, op, v in MATCHER.findall(m.group(2) or "")
                    if l not in ("namespace", "pod") and "$" not in v]
        found.append((name, matchers))
    return found


def selected(name, matchers):
    for metric, labels, value in series:
        if metric != name:
            continue
        ok = True
        for label, op, want in matchers:
            have = labels.get(label, "")
            if (op == "=" and have != want) or (op == "!=" and have == want) \
                    or (op == "=~" and not re.fullmatch(want, have)) or (op == "!~" and re.fullmatch(want, have)):
                ok = False
        if ok:
            yield labels, value


def legend(fmt, labels, fallback):
    text = re.sub(r'\{\{\s*(\w+)\s*\}\}', lambda m: labels.get(m.group(1), ""), fmt or "").strip()
    return text or fallback


def quantile_rows(expr, fmt):
    q = float(re.search(r'histogram_quantile\(\s*([0-9.]+)', expr).group(1))
    by = [b.strip() for b in re.search(r'by\s*\(([^)]*)\)', expr).group(1).split(",") if b.strip() != "le"]
    (name, matchers), = [s for s in selectors(expr) if s[0].endswith("_bucket")]
    groups = {}
    for labels, value in selected(name, matchers):
        key = tuple(labels.get(b, "") for b in by)
        le = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
        groups.setdefault(key, {}).setdefault(le, 0.0)
        groups[key][le] += value
    rows = []
    for key, buckets in groups.items():
        total = buckets.get(float("inf"), max(buckets.values()))
        if total <= 0:
            continue
        bound = next(le for le in sorted(buckets) if buckets[le] >= q * total)
        rows.append((legend(fmt, dict(zip(by, key)), " ".join(key)) + f"  (n={int(total)})", bound))
    return rows, f"p{int(q * 100)} estimated from the buckets (bucket upper bound)"


def rows_for(target):
    expr, fmt = target["expr"], target.get("legendFormat", "")
    if "histogram_quantile" in expr:
        return quantile_rows(expr, fmt)
    if " / " in expr:  # a ratio of two sums: sum of the numerator's series over the denominator's
        num, den = expr.split(" / ", 1)
        top = sum(v for n, m in selectors(num) for _, v in selected(n, m))
        bottom = sum(v for n, m in selectors(den) for _, v in selected(n, m))
        return ([(fmt or "ratio", top / bottom)] if bottom else []), "totals since start: " + " / ".join(
            n + ("{" + ",".join(f'{l}="{v}"' for l, _, v in m) + "}" if m else "") for n, m in selectors(expr))
    rows, names = [], []
    for name, matchers in selectors(expr):
        names.append(name + ("{" + ",".join(f'{l}{o}"{v}"' for l, o, v in matchers) + "}" if matchers else ""))
        for labels, value in selected(name, matchers):
            rows.append((legend(fmt, labels, name), value, name))
    merged = {}
    for text, value, name in rows:  # one bar per legend text (what a sum by the legend's labels would give)
        key = text if len(names) == 1 else f"{name.replace('keyledger_', '')}: {text}"
        merged[key] = merged.get(key, 0.0) + value
    return sorted(merged.items(), key=lambda kv: -kv[1])[:8], "current value of " + ", ".join(names)


def fmt_value(value, unit):
    if unit == "bytes":
        for suffix, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if value >= size:
                return f"{value / size:.1f} {suffix}"
        return f"{value:.0f} B"
    if unit == "s" and value != float("inf"):
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:g}"


def bars(rows, unit):
    if not rows:
        return '<p class="none">no series</p>'
    finite = [v for _, v in rows if v != float("inf")]
    top = max(finite + [1e-12])
    h = 18
    parts = [f'<svg width="580" height="{len(rows) * h + 4}">']
    for i, (text, value) in enumerate(rows):
        width = 0 if value == float("inf") else max(1.0, 190 * value / top)
        y = i * h + 2
        parts.append(f'<text x="0" y="{y + 12}" class="lbl">{html.escape(text[:46])}</text>')
        parts.append(f'<rect x="290" y="{y + 2}" width="{width:.1f}" height="{h - 6}" class="bar"/>')
        parts.append(f'<text x="{290 + width + 4:.1f}" y="{y + 12}" class="val">{html.escape(fmt_value(value, unit))}</text>')
    parts.append("</svg>")
    return "".join(parts)


cards = []
for panel in dashboard["panels"]:
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
    body = []
    for target in panel.get("targets", []):
        rows, what = rows_for(target)
        rows = [(r[0], r[1]) for r in rows]
        counts = all(n.endswith(("_count", "_total")) for n, _ in selectors(target["expr"]))
        unit_here = "s" if "histogram_quantile" in target["expr"] else ("" if unit in ("reqps", "percentunit", "short") else unit)
        body.append(f'<div class="q">{html.escape(what)}</div>{bars(rows, "" if counts and "histogram_quantile" not in target["expr"] else unit_here)}')
    cards.append(f'<section><h2>{html.escape(panel["title"])}</h2>{"".join(body)}</section>')

page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(dashboard['title'])} dashboard (static render)</title>
<style>
body {{ background:#111217; color:#ccccdc; font:13px sans-serif; margin:16px; }}
h1 {{ font-size:18px; margin:0 0 4px; }} p.note {{ color:#8e8e9e; margin:0 0 12px; max-width:1200px; }}
main {{ display:grid; grid-template-columns:600px 600px; gap:10px; }}
section {{ background:#181b1f; border:1px solid #2c3235; border-radius:3px; padding:8px 10px; }}
h2 {{ font-size:13px; margin:0 0 6px; color:#d8d9da; }}
.q {{ max-width:580px; color:#6e9fff; font:11px monospace; margin:4px 0 2px; overflow:hidden; white-space:nowrap; text-overflow:ellipsis; }}
.lbl {{ fill:#ccccdc; font:11px sans-serif; }} .val {{ fill:#ccccdc; font:11px monospace; }}
.bar {{ fill:#73bf69; }} .none {{ color:#8e8e9e; margin:2px 0; }}
</style></head><body>
<h1>{html.escape(dashboard['title'])}: {len(dashboard['panels'])} panels of k8s/observability/keyledger-dashboard.json</h1>
<p class="note">Static render by deploy/observability/render.py from one scrape of /q/metrics ({html.escape(scrape_path.name)},
{len(series)} series) after DashboardTest's traffic. Not Grafana: values as exported at that instant (counters are totals), no rates over time.</p>
<main>{''.join(cards)}</main></body></html>"""
out_path.parent.mkdir(parents=True, exist_ok=True)
out_path.write_text(page, encoding="utf-8")
print(f"wrote {out_path} ({len(dashboard['panels'])} panels, {len(series)} series)")
