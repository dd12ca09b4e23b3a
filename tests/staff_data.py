"""Shared by the staff tests: a site with three published months and their quarter,
its staff members, and readers of the dashboard's HTML."""

import datetime
import random
from html.parser import HTMLParser

import pytest

from django.conf import settings
from django.utils import timezone

from questionnaire import scoring, synthetic
from questionnaire.services import checkin_submit
from stats import periods, publishing, selectors

QUARTER = periods.parse("2026-Q3")
SIZES = {7: 24, 8: 15, 9: 31}  # July to September 2026: every month big enough to publish


def fill(site, sizes=SIZES, seed=7):
    rng = random.Random(seed)
    for month, size in sizes.items():
        for _ in range(size):
            answers = synthetic.answers(rng)
            checkin_submit(
                answers=answers, scores=scoring.score(answers), site=site, shown=[],
                today=datetime.date(2026, month, rng.randint(1, 28)),
            )


def publish(site_key, period=QUARTER):
    publishing.publish_until(site_key=site_key, period=period, today=timezone.localdate(),
                             threshold=settings.SUPPRESSION_THRESHOLD)


def tables(site_key, period=QUARTER):
    return selectors.site_tables(site_key=site_key, period=period, threshold=settings.SUPPRESSION_THRESHOLD)


class Blocks(HTMLParser):
    """Collect, per dashboard block (data-table), its table rows as cell texts and its SVG texts."""

    def __init__(self):
        super().__init__()
        self.blocks = {}  # id -> {"rows": [[text...]], "svg": [(class, text)], "rects": n}
        self.current = None
        self.depth = 0
        self.cell = None
        self.row = None
        self.svg_text = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "data-table" in attrs:
            self.current = self.blocks.setdefault(attrs["data-table"], {"rows": [], "svg": [], "rects": 0})
            self.depth = 0
        if self.current is None:
            return
        if tag == "section":
            self.depth += 1
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "text":
            self.svg_text = (attrs.get("class", ""), [])
        elif tag == "rect":
            self.current["rects"] += 1

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current["rows"].append(self.row)
            self.row = None
        elif tag == "text" and self.svg_text:
            self.current["svg"].append((self.svg_text[0], "".join(self.svg_text[1])))
            self.svg_text = None
        elif tag == "section":
            self.depth -= 1
            if self.depth == 0:
                self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.svg_text is not None:
            self.svg_text[1].append(data)


def blocks(html: str) -> dict:
    parser = Blocks()
    parser.feed(html)
    return parser.blocks


def expected_rows(table, checkins=None) -> list[list[str]]:
    """Return a ShownTable's rows as the page should show them (header row first).

    With ``checkins``, a one-column answer table also shows each count as a
    share of all check-ins (the marker where the count is hidden)."""
    with_total = any(m is not None for _, _, m in table.rows)
    shares = (checkins and len(table.columns) == 1 and not with_total
              and table.id.startswith(("dist:", "multi:")))

    def share(value):
        if not shares:
            return []
        return [f"{round(100 * value / checkins)}%" if isinstance(value, int) else str(value)]

    out = [[table.row_title or "Answer", *table.columns] + (["Total"] if with_total else [])
           + (["% of all check-ins"] if shares else [])]
    for label, values, margin in table.rows:
        out.append([label, *map(str, values)] + ([str(margin)] if with_total else []) + share(values[0]))
    if table.column_margins:
        cells = list(map(str, table.column_margins))
        if with_total or len(cells) < len(out[0]) - 1 - bool(shares):
            cells.append(str(table.grand_total))
        out.append(["Total", *cells] + (share(table.column_margins[0]) if len(cells) == 1 else []))
    return out


def _clear():
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from questionnaire.models import CheckIn, CheckInItem, Membership, Rollup, Site
    from stats.models import AuditEvent, Publication

    for model in (AuditEvent, Publication, Rollup, CheckInItem, CheckIn, Membership, Session):
        model.objects.all().delete()
    Site.objects.all().delete()
    get_user_model().objects.all().delete()


class World:
    """Riverside (published Q3 2026), Hillside (nothing), no community (published Q3),
    a member of each site and a superuser."""

    PASSWORD = "a-long-test-password"

    def __init__(self):
        from django.contrib.auth import get_user_model

        from questionnaire.models import Membership, Site

        self.site = Site.objects.create(slug="riverside", name="Riverside Recovery", contact="Call Sam at 555-0101.")
        self.other = Site.objects.create(slug="hillside", name="Hillside Recovery")
        fill(self.site)
        publish(self.site.pk)
        fill(None, seed=3)
        publish(0)
        User = get_user_model()
        self.member = User.objects.create_user("member", password=self.PASSWORD)
        Membership.objects.create(user=self.member, site=self.site)
        self.outsider = User.objects.create_user("outsider", password=self.PASSWORD)
        Membership.objects.create(user=self.outsider, site=self.other)
        self.root = User.objects.create_superuser("root", password=self.PASSWORD)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the world once per test module (publishing takes seconds); each test
    still runs in its own transaction, rolled back after it."""
    with django_db_blocker.unblock():
        _clear()
        made = World()
        yield made
        _clear()
