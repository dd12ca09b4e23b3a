"""Pages under ``wrk`` (Debian's): one page's requests per second and latency, with
the cookies and bodies given, and pages run against the bare view in
interleaved rounds so background load hits both alike."""

from __future__ import annotations

import json
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from harness.client import HOST

from .common import say

WRK_SCRIPT = r"""
local cookies = {%(cookies)s}
local bodies = {%(bodies)s}
local method, path = "%(method)s", "%(path)s"
local i = 0
request = function()
  i = i + 1
  local h = {["Host"] = "%(host)s", ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip",
             ["Accept"] = "text/html", ["User-Agent"] = "bench-wrk"}
  local body = nil
  if #cookies > 0 then h["Cookie"] = cookies[(i %% #cookies) + 1] end
  if method == "POST" then
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["Origin"] = "https://%(host)s"
    h["Referer"] = "https://%(host)s" .. path
    body = bodies[(i %% #bodies) + 1]
  end
  return wrk.format(method, path, h, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %%d, "us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"status_errors": %%d, "socket_errors": %%d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _lua(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Target:
    name: str
    port: int
    path: str
    method: str = "GET"
    cookies: list = field(default_factory=list)
    bodies: list = field(default_factory=list)


def wrk(target: Target, seconds: float, connections: int, workdir: Path) -> dict:
    script = workdir / "bench.lua"
    script.write_text(WRK_SCRIPT % {
        "cookies": ", ".join(_lua(c) for c in target.cookies),
        "bodies": ", ".join(_lua(b) for b in target.bodies),
        "method": target.method, "path": target.path, "host": f"{HOST}:{target.port}",
    })
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script),
           f"http://{HOST}:{target.port}{target.path}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    figures = json.loads(line[6:])
    figures["rps"] = figures["requests"] / (figures["us"] / 1e6)
    return figures


def interleaved(targets: list[Target], bare: Target, args, workdir: Path) -> list[dict]:
    """wrk each page against the bare view, ours then bare, round after round."""
    rows = {t.name: {"page": t.name, "ours": [], "bare": []} for t in targets}
    say("    warming up every worker (1 s of wrk per page, not counted)")
    for t in [bare, *targets]:
        wrk(t, 1, args.connections, workdir)
    for round_no in range(1, args.rounds + 1):
        say(f"    round {round_no} of {args.rounds}")
        for t in targets:
            ours = wrk(t, args.duration, args.connections, workdir)
            base = wrk(bare, args.duration, args.connections, workdir)
            rows[t.name]["ours"].append(ours)
            rows[t.name]["bare"].append(base)
            say(f"      {t.name:<22} {ours['rps']:7.0f} req/s (p95 {ours['p95'] / 1000:6.1f} ms) | bare "
                f"{base['rps']:7.0f} req/s | ratio {ours['rps'] / base['rps']:.2f}"
                + (f" | {ours['status_errors']} HTTP errors" if ours["status_errors"] else "")
                + (f" | {ours['socket_errors']} socket errors" if ours["socket_errors"] else ""))
    out = []
    for row in rows.values():
        ratios = [o["rps"] / b["rps"] for o, b in zip(row["ours"], row["bare"])]
        out.append({
            "page": row["page"],
            "rps": statistics.median(o["rps"] for o in row["ours"]),
            "p50": statistics.median(o["p50"] for o in row["ours"]) / 1000,
            "p95": statistics.median(o["p95"] for o in row["ours"]) / 1000,
            "p99": statistics.median(o["p99"] for o in row["ours"]) / 1000,
            "bare_rps": statistics.median(b["rps"] for b in row["bare"]),
            "bare_p95": statistics.median(b["p95"] for b in row["bare"]) / 1000,
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios), "ratio_max": max(ratios),
            "errors": sum(o["status_errors"] + o["socket_errors"] for o in row["ours"]),
        })
    return out

