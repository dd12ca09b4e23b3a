"""Turn one ``scripts/bench serving`` run into docs/benchmarks.md and a short summary."""

from __future__ import annotations

import datetime
import math

from .common import human as _n


TARGETS = {
    "landing": 0.70,
    "step": 0.50,
    "flows": 25.0,
    "dashboard_p95_ms": 100.0,
    "dashboard_growth": 1.25,
    "seed_1m_seconds": 180.0,
    "first_visit_kb": 60.0,
}


def _ms(x) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1f}"


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def page_target(name: str):
    if name == "landing":
        return TARGETS["landing"]
    if name.startswith("step") and name.endswith("GET"):
        return TARGETS["step"]
    return None


def growth(report: dict, label: str):
    """Return (p95 at the largest size / p95 at the smallest, smallest n, largest n) or None."""
    rows = [r for r in report["sizes"] if "p95" in r["staff"].get(label, {})]
    if len(rows) < 2:
        return None
    small, large = rows[0], rows[-1]
    return large["staff"][label]["p95"] / small["staff"][label]["p95"], small["n"], large["n"]


def markdown(report: dict) -> str:
    m = report["machine"]
    when = datetime.datetime.fromtimestamp(report["started"], datetime.UTC)
    args = report["args"]
    busy = m["load_before"][0] >= 0.5 or m.get("load_after", (0,))[0] >= 3.0
    sizes = ",".join(_n(r["n"]) for r in report["sizes"])
    out = [
        "# Benchmarks",
        "",
        f"Written by `scripts/bench serving --sizes {sizes} --clients {','.join(map(str, args['clients']))}"
        + "".join(f" --{flag.replace('_', '-')}" for flag in ("no_pages", "publish_one", "compare") if args.get(flag))
        + (f" --output {args['output']}" if args.get("output", "docs/benchmarks.md") != "docs/benchmarks.md" else "")
        + "` on "
        f"{when:%Y-%m-%d %H:%M} UTC (the whole run took {report['seconds'] / 60:.1f} minutes). Run it again to refresh "
        "this page; it is rewritten, not edited by hand. See the \"Benchmarks\" section of docs/testing.md for what is measured.",
        "",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['system']}; Python {m['python']}, PostgreSQL {m['postgresql']}, "
        f"Django {m['django']}, gunicorn {m['gunicorn']}, {m['wrk']}.",
        f"- Load average (1 min) {m['load_before'][0]:.1f} before the run and {m.get('load_after', (0,))[0]:.1f} after it"
        + (": **other work was running on the machine while this was measured**, so read the ratios (ours / bare, "
           "measured side by side) rather than the absolute figures." if busy else "."),
        f"- Serving: gunicorn with `gunicorn.conf.py`"
        + f" ({m.get('serving', '')})"
        + (f", overridden: workers {args['workers']}" if args.get("workers") else "")
        + (f", worker class {args['worker_class']}" if args.get("worker_class") else "")
        + (f", threads {args['threads']}" if args.get("threads") else "")
        + ", production settings (DEBUG off, behind a TLS proxy: every request carries `X-Forwarded-Proto: https`), "
        "GZip accepted by every client, PostgreSQL on the same machine.",
        "",
    ]

    out += ["## Seeding and publishing", "",
            "Synthetic shared check-ins over 24 months and 50 sites (`benchmarks/seed.py`: answers from "
            "`questionnaire.synthetic`, scores, shown items and rollup cells from the app's own modules; rows made "
            "with `COPY` and `INSERT … SELECT`). Target: 1M in at most 3 minutes.", "",
            "| check-ins | distinct answer sets | seeding | check-ins / s | rollups | `manage.py publish` | publications |",
            "|---:|---:|---:|---:|---|---:|---:|"]
    for r in report["sizes"]:
        pub = r["publish"]
        out.append(f"| {_n(r['n'])} | {r['pool']:,} | {r['seed_seconds']:.1f} s | {r['rate']:,.0f} | "
                   f"{'consistent' if r['consistent'] else '**differ**'} ({'full recount' if r['full_check'] else 'SQL check'}) | "
                   + ("not run (`--publish-one`)" if pub.get("skipped") else
                      f"{pub['seconds']:.1f} s{'' if pub['ok'] else ' (**did not finish**: ' + pub['line'] + ')'}")
                   + (f"; {'then ' if not pub.get('skipped') else ''}the measured site alone up to "
                      f"{pub['site_only']['until']} in {pub['site_only']['seconds']:.1f} s" if pub.get("site_only") else "")
                   + (f"; VACUUM ANALYZE {pub['vacuum_seconds']:.1f} s" if "vacuum_seconds" in pub else "") + " | "
                   f"{r['publications']:,} |")
    out.append("")

    labels = sorted({label for r in report["sizes"] for label in r["staff"]})
    out += ["## Staff dashboard and CSV export by size", ""]
    if not labels:
        out += ["No staff dashboard or export URL existed in the version measured.", ""]
    else:
        out += ["One staff member of the largest site looks at the default published period, one request after "
                f"another ({args['looks']} looks after warming every worker: 6 looks and 1 s of wrk), through gunicorn. SQL queries counted in-process "
                "for one look. Targets: p95 at most 100 ms at 1M, p95(largest) / p95(smallest) at most 1.25, the same "
                "number of queries at every size.", "",
                "| check-ins | of the site | page | p50 ms | p95 ms | p99 ms | SQL queries per look |",
                "|---:|---:|---|---:|---:|---:|---:|"]
        for r in report["sizes"]:
            for label in labels:
                f = r["staff"].get(label, {})
                if "error" in f:
                    out.append(f"| {_n(r['n'])} | {r['site_checkins']:,} | {label} | error: {f['error']} | | | |")
                elif f:
                    out.append(f"| {_n(r['n'])} | {r['site_checkins']:,} | {label} | {_ms(f['p50'])} | {_ms(f['p95'])} | "
                               f"{_ms(f['p99'])} | {f['queries']} |")
        out.append("")
        for label in labels:
            g = growth(report, label)
            if g:
                out.append(f"- {label}: p95 at {_n(g[2])} / p95 at {_n(g[1])} = **{g[0]:.2f}** "
                           f"(target at most {TARGETS['dashboard_growth']}: {_mark(g[0] <= TARGETS['dashboard_growth'])}).")
            queries = {r["staff"][label]["queries"] for r in report["sizes"] if "queries" in r["staff"].get(label, {})}
            if queries:
                out.append(f"- {label}: SQL queries per look "
                           + (f"the same at every size ({queries.pop()})." if len(queries) == 1
                              else f"**differ by size** ({', '.join(map(str, sorted(queries)))})."))
            at_1m = [r["staff"][label] for r in report["sizes"] if r["n"] >= 1_000_000 and "p95" in r["staff"].get(label, {})]
            if at_1m:
                out.append(f"- {label}: p95 at 1M {at_1m[-1]['p95']:.1f} ms (target at most "
                           f"{TARGETS['dashboard_p95_ms']:.0f} ms: {_mark(at_1m[-1]['p95'] <= TARGETS['dashboard_p95_ms'])}).")
        out.append("")

    if "pages" in report:
        bare = report.get("bare_bytes", {})
        out += ["## Pages: ours against a bare Django view, side by side", "",
                f"`wrk -t2 -c{args['connections']}`, {args['duration']:.0f} s a run, {args['rounds']} rounds; in each "
                "round every page is run right before the bare view, so background load hits both. The bare view "
                "(`benchmarks/bare/`) renders one template (a step's HTML inside our `base.html`) "
                + (f"of {bare.get('raw', 0) / 1024:.0f} KB " if bare else "")
                + "with no logic and no query, under the same settings, middleware and gunicorn. Figures are medians "
                "over the rounds; the ratio is ours / bare req/s per round (median, and the lowest to highest round). "
                "Step pages use sessions with every step answered; results uses shared, submitted check-ins.", "",
                "Before issue 12's work (same kind of machine, gunicorn with 2 sync workers, HTML not compressed): landing 0.43–0.51 of "
                "the bare view, the privacy step 0.19–0.20, the pain step 0.08–0.10, about 4 full check-ins a second.", "",
                "| page | ours req/s | p50 ms | p95 ms | p99 ms | bare req/s | ours / bare | rounds | target | met |",
                "|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
        for p in report["pages"]:
            t = page_target(p["page"])
            out.append(f"| {p['page']} | {p['rps']:,.0f} | {_ms(p['p50'])} | {_ms(p['p95'])} | {_ms(p['p99'])} | "
                       f"{p['bare_rps']:,.0f} | **{p['ratio']:.2f}** | {p['ratio_min']:.2f}–{p['ratio_max']:.2f} | "
                       f"{'≥ ' + format(t, '.2f') if t else ''} | {_mark(p['ratio'] >= t) if t else ''} |"
                       + (f" ({p['errors']} errors)" if p["errors"] else ""))
        out.append("")

    if "flows" in report:
        out += ["## Full check-ins per second", "",
                "Each client is a separate process doing whole check-ins back to back through gunicorn: landing, "
                "start, every step GET and POST, review, submit (shared, so a row and its rollups are written), "
                "results, each status checked. Target: at least 25 a second on 2 cores. The clients share the cores "
                "with the server, so they are lean (`LeanBrowser` in `benchmarks/load.py`: bytes on a socket, "
                "connections kept when the server keeps them, only the status, cookie and CSRF token read); the "
                "last column is what they spent themselves.", "",
                "Right after each client count the bare view runs under wrk: a check-in of "
                f"{report.get('requests_per_checkin', 19)} requests that each cost what the bare view costs would "
                "allow bare req/s ÷ requests check-ins a second (the ceiling). On a busy machine the share of that "
                "ceiling says more than the absolute figure.", "",
                "The CPU each check-in cost is measured too: gunicorn's workers and the PostgreSQL processes of the "
                "benchmark's database (from /proc), and the clients' own. It hardly moves with other work on the "
                "machine, so the cores divided by it, the last column, is what the machine would do with nothing "
                "else running (the clients included).", "",
                "| concurrent clients | full check-ins / s | requests / s | one check-in p50 s | p95 s | failed | "
                "bare req/s | ceiling / s | share of ceiling | CPU ms per check-in: gunicorn / PostgreSQL / clients | "
                "cores ÷ CPU per check-in |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        per_flow = report.get("requests_per_checkin")
        for f in report["flows"]:
            rps = f"{f['per_second'] * per_flow:,.0f}" if per_flow else "–"
            extra = (f" {f['bare_rps']:,.0f} | {f['ceiling']:.1f} | {f['share']:.0%} |") if "share" in f else " | | |"
            cpu = (f" {f['gunicorn_cpu_ms']:.1f} / {f['database_cpu_ms']:.1f} / {f['client_cpu_ms']:.1f} | "
                   f"**{f['capacity']:.1f}** |") if "capacity" in f else " | |"
            out.append(f"| {f['clients']} | **{f['per_second']:.1f}** | {rps} | {f['p50']:.2f} | {f['p95']:.2f} | "
                       f"{f['errors']} |" + extra + cpu)
        out.append("")
        first = report["flows"][0]
        if first.get("kinds"):
            out += [f"Where one check-in's time goes ({first['clients']} clients): mean time of each kind of request "
                    "as the client saw it, and how many of them one check-in makes.", "",
                    "| request | mean ms | per check-in |", "|---|---:|---:|"]
            for kind, (ms, count) in sorted(first["kinds"].items(), key=lambda kv: -kv[1][0] * kv[1][1]):
                out.append(f"| `{kind}` | {ms:.1f} | {count:.0f} |")
            out.append("")

    if "configs" in report:
        out += ["## gunicorn set-ups compared", "",
                "The same app under each set-up, round after round (median of the rounds): full check-ins with "
                f"{report['configs'][0]['clients']} clients (connections kept where the server allows), and "
                "the landing page under wrk (which keeps connections open where the server allows).", "",
                "| set-up | full check-ins / s | landing req/s |", "|---|---:|---:|"]
        for c in report["configs"]:
            out.append(f"| {c['setup']} | {c['flows']:.1f} | {c['landing']:,.0f} |")
        out.append("")

    if "bytes" in report:
        out += ["## Bytes on the wire", "",
                "Gzip accepted. HTML = status line, headers and compressed body; first visit adds every stylesheet, "
                "script and image the page links to (each fetched once, compressed). Target for the person's pages: "
                "at most 60 KB on a first visit.", "",
                "| page | HTML KB | HTML unzipped KB | CSS/JS KB | first visit KB | ≤ 60 KB |",
                "|---|---:|---:|---:|---:|---|"]
        for b in report["bytes"]:
            first = b["first"] / 1024
            out.append(f"| {b['page']} | {b['html'] / 1024:.1f} | {b['html_raw'] / 1024:.1f} | {b['assets'] / 1024:.1f} | "
                       f"{first:.1f} | {_mark(first <= TARGETS['first_visit_kb']) if b['individual'] else ''} |")
        out.append("")

    if report.get("failures"):
        out += ["## Problems during the run", ""] + [f"- {f}" for f in report["failures"]] + [""]

    if "two_instances" in report:
        t = report["two_instances"]
        out += ["## Two gunicorn instances, one PostgreSQL", "",
                f"**{'OK' if t['ok'] else 'FAIL'}**: {t['detail']}.", ""]
    return "\n".join(out)


def summary(report: dict) -> str:
    lines = ["==> Summary (targets from issue 12)"]
    for r in report["sizes"]:
        lines.append(f"    seeding {_n(r['n'])}: {r['rate']:,.0f} check-ins/s ({r['seed_seconds']:.0f} s); publish "
                     + ("of the measured site only" if r["publish"].get("skipped") else
                        f"{r['publish']['seconds']:.0f} s{'' if r['publish']['ok'] else ' (did not finish)'}"))
        if r["n"] >= 1_000_000:
            projected = r["seed_seconds"] * 1_000_000 / r["n"]
            lines.append(f"      1M in {projected:.0f} s: {'met' if projected <= TARGETS['seed_1m_seconds'] else 'NOT met'}")
    for label in sorted({label for r in report["sizes"] for label in r["staff"]}):
        g = growth(report, label)
        last = report["sizes"][-1]["staff"].get(label, {})
        if "p95" in last:
            lines.append(f"    {label}: p95 {last['p95']:.1f} ms at {_n(report['sizes'][-1]['n'])}"
                         + (f", p95 ratio {_n(g[2])}/{_n(g[1])} = {g[0]:.2f} (≤ 1.25: {'met' if g[0] <= 1.25 else 'NOT met'})" if g else ""))
    for p in report.get("pages", []):
        t = page_target(p["page"])
        lines.append(f"    {p['page']:<22} ours/bare {p['ratio']:.2f}" + (f" (≥ {t:.2f}: {'met' if p['ratio'] >= t else 'NOT met'})" if t else ""))
    for f in report.get("flows", []):
        lines.append(f"    full check-ins, {f['clients']} clients: {f['per_second']:.1f}/s "
                     f"(≥ 25: {'met' if f['per_second'] >= TARGETS['flows'] else 'NOT met'})"
                     + (f"; {f['share']:.0%} of the bare ceiling {f['ceiling']:.1f}/s" if "share" in f else "")
                     + (f"; {f['capacity']:.1f}/s by CPU per check-in (cores ÷ CPU)" if "capacity" in f else ""))
    individual = [b for b in report.get("bytes", []) if b["individual"]]
    if individual:
        worst = max(individual, key=lambda b: b["first"])
        lines.append(f"    heaviest first visit: {worst['page']} {worst['first'] / 1024:.1f} KB "
                     f"(≤ 60 KB: {'met' if worst['first'] / 1024 <= 60 else 'NOT met'})")
    if "two_instances" in report:
        lines.append(f"    two instances: {'OK' if report['two_instances']['ok'] else 'FAIL'}")
    return "\n".join(lines)
