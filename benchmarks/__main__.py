"""scripts/bench: every benchmark behind one entry point (scripts that print figures,
never tests).

Each run works on a database of its own, made for it and removed at the end (a
SQLite file in a temporary folder, or ``bench_<pid>`` on the local PostgreSQL
server; ``BENCH_DATABASE_URL`` names another server). No password is printed and
no date is fixed: "today" is the day of the run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import scratch_database, setup_django, sizes  # noqa: E402

SUBCOMMANDS = ("serving", "publish", "aggregates", "attack", "formats", "pooled", "steps", "staff-pages")


def _serving(args) -> int:
    from benchmarks import serving

    return serving.run(args)


def _publish(args) -> int:
    with scratch_database(postgresql=args.postgresql):
        setup_django()
        from benchmarks import publish

        if args.run == "demo":
            publish.demo()
        elif args.run == "sites":
            publish.sites(args.sites or 50, args.months, args.scale,
                          {int(s) for s in args.only.split(",")} if args.only else None)
        else:
            publish.monthend(args.sites or 2000, args.months, args.jobs)
    return 0


def _aggregates(args) -> int:
    with scratch_database(postgresql=True):
        setup_django()
        from benchmarks import aggregates

        aggregates.main(args.sizes)
    return 0


def _attack(args) -> int:
    with scratch_database():
        setup_django()
        from benchmarks import attack

        attack.main(args.sites, args.seed)
    return 0


def _formats(args) -> int:
    with scratch_database():
        setup_django()
        from benchmarks import formats

        formats.OLD = args.old
        formats.main(args.sites, args.seed)
    return 0


def _pooled(args) -> int:
    with scratch_database():
        setup_django()
        from benchmarks import pooled

        pooled.main(args.sites, args.seed)
    return 0


def _steps(args) -> int:
    if args.server:
        from benchmarks import steps

        return steps.served(args)
    setup_django("project.settings_test")  # Django's test runner makes its own database
    from benchmarks import steps

    return steps.in_process(args)


def _staff_pages(args) -> int:
    with scratch_database(postgresql=args.postgresql):
        setup_django()
        from benchmarks import staff_pages

        staff_pages.main(args)
    return 0


def parser() -> argparse.ArgumentParser:
    from benchmarks import serving

    top = argparse.ArgumentParser(
        prog="scripts/bench", description=__doc__.split("\n\n")[0].replace("\n", " "),
        epilog="Without a subcommand, scripts/bench runs 'serving'. 'scripts/bench SUBCOMMAND --help' says more.")
    sub = top.add_subparsers(dest="command", metavar="SUBCOMMAND")

    p = sub.add_parser("serving", help="the app as production serves it: seeding, publishing, staff pages, every "
                                       "page against a bare Django view, full check-ins; writes docs/benchmarks.md")
    serving.add_arguments(p)
    p.set_defaults(handler=_serving)

    p = sub.add_parser("publish", help="publishing with disclosure control: the demo community, many sites, or a "
                                       "network's month-end run with --jobs 1 and N")
    p.add_argument("run", choices=("demo", "sites", "monthend"), nargs="?", default="demo",
                   help="demo (default): every period of the demo; sites: N sites x M months; monthend: the run "
                        "of the last 1 January (December, its quarter and year) for N sites")
    p.add_argument("--sites", type=int, help="sites (default 50 for 'sites', 2000 for 'monthend')")
    p.add_argument("--months", type=int, default=24, help="months of check-ins (default 24)")
    p.add_argument("--scale", type=int, help="sites: scale all sites to about this many check-ins (e.g. 10000)")
    p.add_argument("--only", help="sites: keep only these site numbers (e.g. 17,21), drawn as in the full run")
    p.add_argument("--jobs", type=int, default=2, help="monthend: processes to compare with one (default 2)")
    p.add_argument("--postgresql", action="store_true",
                   help="use PostgreSQL (needed for monthend with more than one job); default SQLite")
    p.set_defaults(handler=_publish)

    p = sub.add_parser("aggregates", help="one site's seeding, publishing, a look and submits at 10k and 100k "
                                          "check-ins on PostgreSQL")
    p.add_argument("sizes", type=sizes, nargs="?", default=sizes("10k,100k"),
                   help="check-ins, comma-separated (default 10k,100k)")
    p.set_defaults(handler=_aggregates)

    p = sub.add_parser("attack", help="the independent attacker (tests/disclosure_audit.py) against what the "
                                      "suppressor publishes for made-up sites")
    p.add_argument("sites", type=int, nargs="?", default=50, help="sites, each a year of check-ins (default 50)")
    p.add_argument("seed", type=int, nargs="?", default=1, help="first random seed (default 1)")
    p.set_defaults(handler=_attack)

    p = sub.add_parser("formats", help="a catalogue change: publish in an older format, change it, publish again, "
                                       "and attack every version together (the old delete-and-remake way too)")
    p.add_argument("sites", type=int, nargs="?", default=2, help="demo-like sites (default 2)")
    p.add_argument("seed", type=int, nargs="?", default=20, help="first random seed (default 20)")
    p.add_argument("--old", type=int, default=4, choices=(3, 4), help="the format published first (default 4)")
    p.set_defaults(handler=_formats)

    p = sub.add_parser("pooled", help="rolling four-quarter windows: headline figures shown with and without "
                                      "the pooled figures, and the attacker over each year with its windows")
    p.add_argument("sites", type=int, nargs="?", default=25, help="sites, each two years of quarters (default 25)")
    p.add_argument("seed", type=int, nargs="?", default=1, help="first random seed (default 1)")
    p.set_defaults(handler=_pooled)

    p = sub.add_parser("steps", help="each step GET against a bare template view, and bytes per first visit")
    p.add_argument("--server", action="store_true",
                   help="under gunicorn and wrk with production settings on PostgreSQL (default: in process)")
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    p.add_argument("--requests", type=int, default=200, help="in process: requests a round (default 200)")
    p.add_argument("--seconds", type=int, default=10, help="--server: seconds of wrk a page and round (default 10)")
    p.add_argument("--no-person-pages", dest="person_pages", action="store_false",
                   help="leave out review, results and print (English and Spanish)")
    p.add_argument("--only", default="", help="the pages to measure, by name, comma-separated")
    p.set_defaults(handler=_steps)

    p = sub.add_parser("staff-pages", help="server time, weight and queries of every staff page, for the demo "
                                           "community published through stats.publishing")
    p.add_argument("--sites", type=int, default=1,
                   help="communities, each with the demo's check-ins, all published (default 1)")
    p.add_argument("--repeat", type=int, default=7, help="requests per page (default 7)")
    p.add_argument("--jobs", type=int, default=1, help="publishing processes (more than one: --postgresql)")
    p.add_argument("--postgresql", action="store_true", help="use PostgreSQL (default SQLite)")
    p.set_defaults(handler=_staff_pages)
    return top


def arguments(argv: list[str]) -> argparse.Namespace:
    """Parse a command line; without a subcommand it is 'serving' (scripts/bench --sizes ...)."""
    argv = list(argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "serving")
    return parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(sys.argv[1:] if argv is None else argv)
    os.chdir(ROOT)
    return args.handler(args) or 0


if __name__ == "__main__":
    sys.exit(main())
