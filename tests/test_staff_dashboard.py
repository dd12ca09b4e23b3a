"""The dashboard, CSV and print view show exactly the published tables (one road),
never a hidden cell's true count; every look is audited; the poster's QR code
opens the site's link."""

import base64
import csv
import io
import re
import subprocess

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stats import catalogue, comparisons, dashboard, disclosure, periods
from stats.counts import Counts
from stats.models import AuditEvent

from . import staff_data
from .staff_data import world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
HIDDEN = disclosure.HIDDEN_LABEL
Q3 = "?period=2026-Q3"


@pytest.fixture
def member(world, db):
    client = Client()
    client.force_login(world.member)
    return client


@pytest.fixture
def root(world, db):
    client = Client()
    client.force_login(world.root)
    return client


def page(client, world, name="dashboard", query=Q3):
    response = client.get(reverse(f"stats:{name}", args=[world.site.slug]) + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def published(world):
    return staff_data.tables(world.site.pk)


def hidden_cells(world):
    """Return (table id, row label, column index, true count) of every hidden cell of Q3."""
    result = published(world)
    cat_tables = {t.id: t for t in catalogue.build(staff_data.QUARTER).tables}
    true = Counts(world.site.pk, staff_data.QUARTER.end).of(staff_data.QUARTER)
    out = []
    for table in result.tables:
        source = cat_tables[table.id]
        for (label, values, _), (_, keys, _) in zip(table.rows, source.rows):
            for i, (value, key) in enumerate(zip(values, keys)):
                if value == HIDDEN and key in true:
                    out.append((table.id, label, i, true[key]))
    return out


def test_the_dashboard_shows_every_published_table_with_the_same_numbers(member, world):
    found = staff_data.blocks(page(member, world))
    result = published(world)
    coping = [t for t in result.tables if t.id.startswith(dashboard.COPING_PREFIX)]
    for table in result.tables:
        if table.id == "total" or table in coping:
            continue
        assert table.id in found, table.id
        assert found[table.id]["rows"] == staff_data.expected_rows(table, checkins=dashboard.checkins(result)), table.id
    # The ten ways to ease pain: one table, one row per option, the same cells.
    rows = found["coping"]["rows"][1:]
    assert [row[0] for row in rows] == [t.title for t in coping]
    for row, table in zip(rows, coping):
        assert row[1:] == [str(values[0]) for _, values, _ in table.rows] + [str(table.grand_total)]


def test_charts_show_shown_numbers_and_the_marker_for_hidden_ones_never_a_bar(member, world):
    found = staff_data.blocks(page(member, world))
    result = published(world)
    checked = 0
    for table in result.tables:
        if table.id in ("total", "trend") or table.id.startswith(dashboard.COPING_PREFIX):
            continue
        charted = [values if table.id.startswith("cross:") else values[:1] for _, values, _ in table.rows]
        cells = [v for values in charted for v in values]
        svg = found[table.id]["svg"]
        shown_in_svg = sorted(int(text.replace(",", "")) for cls, text in svg if "value" in cls)
        assert shown_in_svg == sorted(v for v in cells if v != HIDDEN), table.id
        assert sum(1 for cls, _ in svg if "marker" in cls) == sum(1 for v in cells if v == HIDDEN), table.id
        # A bar only for a shown count above zero.
        assert found[table.id]["rects"] == sum(1 for v in cells if v != HIDDEN and v > 0), table.id
        checked += 1
    assert checked > 20


def test_no_hidden_cell_shows_its_true_count_in_its_place(member, world):
    hidden = hidden_cells(world)
    assert len(hidden) > 10, "the fixture should have hidden cells"
    found = staff_data.blocks(page(member, world))
    csv_tables = csv_by_title(member.get(reverse("stats:export", args=[world.site.slug]) + Q3))
    titles = {t.id: t.title for t in published(world).tables}
    for table_id, label, column, true_count in hidden:
        if table_id.startswith(dashboard.COPING_PREFIX):
            row = next(r for r in found["coping"]["rows"] if r[0] == titles[table_id])
            cell = row[1 + [lbl for lbl, _, _ in next(t for t in published(world).tables
                                                          if t.id == table_id).rows].index(label)]
        else:
            row = next(r for r in found[table_id]["rows"][1:] if r[0] == label)
            cell = row[1 + column]
        assert cell == HIDDEN, (table_id, label, cell, true_count)
        if not table_id.startswith(dashboard.COPING_PREFIX):
            csv_row = next(r for r in csv_tables[titles[table_id]] if r[0] == label)
            assert csv_row[1 + column] == HIDDEN, (table_id, label, csv_row)


def test_hidden_true_counts_do_not_appear_in_a_hidden_cells_chart_row(member, world):
    """In a one-column chart the value text follows its label: a hidden row has the
    marker there, never its true count."""
    found = staff_data.blocks(page(member, world))
    for table_id, label, column, true_count in hidden_cells(world):
        if not table_id.startswith("dist:") or table_id.startswith(dashboard.COPING_PREFIX):
            continue
        svg = found[table_id]["svg"]
        labels = [i for i, (cls, text) in enumerate(svg) if "label" in cls and text == label]
        assert labels, (table_id, label)
        after = svg[labels[0] + 1]
        assert "marker" in after[0] and after[1] == "hidden", (table_id, label, after, true_count)


def csv_by_title(response):
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    tables, current = {}, None
    for i, row in enumerate(rows):
        if not row:
            current = None
            continue
        if current is None and len(row) == 1 and i + 1 < len(rows) and rows[i + 1]:
            current = tables.setdefault(row[0], [])
            continue
        if current is not None:
            current.append(row)
    return tables


def test_the_csv_has_its_header_block_and_exactly_the_published_tables(member, world):
    response = member.get(reverse("stats:export", args=[world.site.slug]) + Q3)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="checkins-riverside-2026-Q3.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = {row[0]: row[1] for row in rows[:6]}
    assert header["Site"] == "Riverside Recovery"
    assert header["Period"].startswith("2026-Q3")
    assert "10" in header["Threshold"]
    assert header["Hidden cells show"] == HIDDEN
    assert header["Content version"]
    assert header["Published on"] == timezone.localdate().isoformat()
    tables = csv_by_title(response)
    for table in published(world).tables:
        if table.id == "total" or table.id.startswith(dashboard.COPING_PREFIX):
            continue
        assert tables[table.title] == staff_data.expected_rows(
            table, checkins=dashboard.checkins(published(world))), table.id


def test_headline_figures_come_from_the_publication(member, world):
    html = page(member, world)
    result = published(world)
    own = result.derived[result.period.label]
    total = next(t for t in result.tables if t.id == "total").rows[0][1][0]
    assert re.search(rf'data-figure="checkins">.*?figure-value">{total:,}<', html, re.S)
    for key, _, kind in dashboard.HEADLINE:
        figure = re.search(rf'data-figure="{key}">(.*?)</li>', html, re.S).group(1)
        value = own.get(key)
        if value is None:
            assert HIDDEN in figure, key
        else:
            assert (f"{value:g}%" if kind == "share" else f"{value:.1f}") in figure, key
    for value, source in dashboard.BENCHMARKS.values():
        assert f"{value}% of {source}" in html
    # Beside the previous quarter's check-ins (none: published as zero).
    assert re.search(r"Up 70 since Q2 2026 \(was 0\)", html)
    # Each shown share with its published count, denominator and Wilson interval;
    # last period had no check-ins, and that is not "hidden".
    counts = {t.id: t for t in result.tables}
    for key, _, kind in dashboard.HEADLINE:
        figure = re.search(rf'data-figure="{key}">(.*?)</li>', html, re.S).group(1)
        if own.get(key) is None:
            assert "interval" not in figure and " of " not in figure, key
            continue
        assert "Q2 2026: no check-ins" in figure, key
        if kind == "share":
            count, n = result.counts[key]
            assert n == total and round(100 * count / n) == own[key], key
            assert f"{count:,} of {n:,} check-ins" in figure, key
            low, high = comparisons.wilson(count, n)
            assert f"95% interval: {low:.1f}% to {high:.1f}%" in figure, key
    assert counts  # the tables were read


def test_the_period_picker_offers_published_periods_newest_first(member, world):
    html = page(member, world)
    options = re.findall(r'<option value="([^"]+)"', html)
    # January to June had no check-ins: published as zeros, but not offered (the
    # picker starts where the community starts), and asking for them is a 404.
    assert options == ["2026-Q3", "2026-09", "2026-08", "2026-07"]
    assert re.search(r'<option value="2026-Q3" selected>', html)
    for before in ("2026-Q2", "2026-06", "2026-01"):
        url = reverse("stats:dashboard", args=[world.site.slug]) + f"?period={before}"
        assert member.get(url).status_code == 404, before


def test_a_month_can_be_picked_and_bookmarked(member, world):
    html = page(member, world, query="?period=2026-08")
    assert "August 2026" in html
    assert re.search(r'<option value="2026-08" selected>', html)


def test_a_complete_period_not_yet_published_is_being_prepared(member, world):
    html = page(member, world, query="?period=2026-10")
    assert "being prepared" in html and "check back tomorrow" in html
    assert "data-table" not in html


@pytest.mark.parametrize("query", ["?period=2099-Q1", "?period=rubbish", "?period=" + "9" * 5000])
def test_a_period_not_over_or_not_a_period_is_404_not_500(member, world, query):
    assert member.get(reverse("stats:dashboard", args=[world.site.slug]) + query).status_code == 404


def test_every_view_export_and_print_is_audited(member, world):
    before = AuditEvent.objects.count()
    page(member, world)
    member.get(reverse("stats:export", args=[world.site.slug]) + Q3)
    page(member, world, "print")
    events = list(AuditEvent.objects.order_by("id"))[before:]
    assert [(e.user, e.site, e.period, e.action) for e in events] == [
        (world.member, world.site, "2026-Q3", "view"),
        (world.member, world.site, "2026-Q3", "csv"),
        (world.member, world.site, "2026-Q3", "print"),
    ]


def test_a_head_request_shows_no_numbers_and_is_not_audited(member, world):
    before = AuditEvent.objects.count()
    for name in ("dashboard", "export", "print"):
        response = member.head(reverse(f"stats:{name}", args=[world.site.slug]) + Q3)
        assert response.status_code == 200
        assert response.content == b""
    assert AuditEvent.objects.count() == before


def test_the_print_view_has_charts_tables_date_and_frame(member, world):
    html = page(member, world, "print")
    assert "<svg" in html and "<table" in html
    assert f"Printed {timezone.localdate():%-d %B %Y}" in html
    assert 'href="tel:988"' in html and "not a diagnosis" in html
    assert "period-picker" not in html


def test_the_superusers_home_records_each_community_whose_figures_it_shows(root, world):
    before = AuditEvent.objects.count()
    html = root.get(reverse("stats:home")).content.decode()
    made = list(AuditEvent.objects.order_by("id")[before:])
    assert made and all(e.user.username == "root" and e.action == "view" for e in made)
    assert {e.site for e in made} >= {world.site}
    assert world.site.name in html
    assert root.head(reverse("stats:home")).status_code == 200
    assert AuditEvent.objects.count() == before + len(made)  # a HEAD shows no figures: no record


def test_no_community_is_shown_to_superusers(root, world):
    response = root.get(reverse("stats:dashboard_none") + Q3)
    assert response.status_code == 200 and "No community" in response.content.decode()
    assert AuditEvent.objects.filter(site=None, action="view").exists()


def test_staff_pages_have_no_inline_style_or_script(member, world):
    for html in (page(member, world), page(member, world, "print"), page(member, world, "poster", "")):
        assert "style=" not in html and "<style" not in html and "<script>" not in html


def test_the_audit_log_is_read_only_in_the_admin(root, member, world):
    page(member, world)
    event = AuditEvent.objects.latest("id")
    base = "/admin/stats/auditevent/"
    listing = root.get(base + "?action__exact=view")
    assert listing.status_code == 200 and "member" in listing.content.decode()
    assert root.get(base + "add/").status_code == 403
    assert root.get(f"{base}{event.pk}/change/").status_code == 200  # read-only view
    assert root.post(f"{base}{event.pk}/change/", {"period": "2020-Q1"}).status_code == 403
    assert root.get(f"{base}{event.pk}/delete/").status_code == 403
    root.post(base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()
    assert event.period == "2026-Q3"
    # Only superusers read it.
    staff = type(world.member).objects.create_user("clerk", password="x-long-password-1", is_staff=True)
    clerk = Client()
    clerk.force_login(staff)
    assert clerk.get(base).status_code in (302, 403)


def test_the_site_admin_page_shares_the_link_and_the_poster(root, world):
    html = root.get(f"/admin/questionnaire/site/{world.site.pk}/change/").content.decode()
    assert 'value="http://testserver/c/riverside/"' in html
    assert "copy-button" in html and reverse("stats:poster", args=["riverside"]) in html
    assert 'name="contact"' in html


def test_the_posters_qr_code_opens_the_sites_link(member, world, tmp_path):
    html = page(member, world, "poster", "")
    assert "Riverside Recovery" in html and "http://testserver/c/riverside/" in html
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    image = tmp_path / "qr.png"
    image.write_bytes(base64.b64decode(data))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == "http://testserver/c/riverside/"


def test_the_previous_period_of_each_kind():
    assert dashboard.previous(periods.parse("2026-Q1")).label == "2025-Q4"
    assert dashboard.previous(periods.parse("2026-01")).label == "2025-12"
    assert dashboard.previous(periods.parse("2026")).label == "2025"


def test_a_publication_of_a_format_no_longer_read_is_shown_nowhere(root, world):
    # Made before formats 3 to 5 (the ones the catalogue reads): until the next
    # ``manage.py publish`` makes a second version beside it, it is not the staff
    # home's latest quarter, has no publication day, and cannot be picked.
    from stats import selectors
    from stats.models import Publication

    threshold = settings.SUPPRESSION_THRESHOLD
    old = {"format": 2, "cells": {"2026-Q4|total|all": 99}, "derived": {}, "hidden": {}}
    Publication.objects.create(site_key=world.site.pk, period="2026-Q4", threshold=threshold,
                               published_on=timezone.localdate(), data=old)
    html = root.get(reverse("stats:home")).content.decode()
    assert "Q4 2026" not in html and staff_data.QUARTER.title in html
    assert selectors.published_on(site_key=world.site.pk, period=periods.parse("2026-Q4"), threshold=threshold) is None
    assert selectors.published_on(site_key=world.site.pk, period=staff_data.QUARTER, threshold=threshold)
    assert periods.parse("2026-Q4") not in selectors.published_periods(site_key=world.site.pk, threshold=threshold)


def test_the_long_csv_round_trips_to_every_dashboard_of_the_site(member, world):
    """Parsed back, every shown cell of every offered period equals the dashboard's,
    every hidden cell is flagged (and has no count or share), and each share is the
    count out of the period's check-ins."""
    response = member.get(reverse("stats:export_long", args=[world.site.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="checkins-riverside-all-periods.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_period = {}
    for row in rows:
        if row["pooled"] != "1":  # (a quarter's rolling window: its rows are checked in test_pooled.py)
            by_period.setdefault(row["period"], []).append(row)
    html = page(member, world)
    offered = re.findall(r'<option value="([^"]+)"', html)
    assert sorted(by_period) == sorted(offered)
    assert {row["period"] for row in rows if row["pooled"] == "1"} == {
        periods.window(p).label for p in map(periods.parse, offered) if p.kind == periods.QUARTER}
    checked = hidden = 0
    for label, cells in by_period.items():
        html = page(member, world, query=f"?period={label}")
        found = staff_data.blocks(html)
        total = int(re.search(r'data-figure="checkins">.*?figure-value">([\d,]+)<', html, re.S).group(1).replace(",", ""))
        tables = {}
        for cell in cells:
            assert (cell["hidden"] == "1") == (cell["count"] == "") and cell["denominator"] == str(total)
            if cell["hidden"] == "1":
                hidden += 1
                assert cell["share_percent"] == ""
                value = HIDDEN
            else:
                value = cell["count"]
                assert float(cell["share_percent"]) == round(100 * int(value) / total, 1)
            tables.setdefault(cell["table_id"], {}).setdefault(cell["row"], []).append(value)
        for table_id, table_rows in tables.items():
            if table_id == "total":
                assert table_rows == {"All shared check-ins": [str(total)]}
                continue
            if table_id.startswith(dashboard.COPING_PREFIX):
                title = cells[[c["table_id"] for c in cells].index(table_id)]["table"]
                shown = next(r for r in found["coping"]["rows"] if r[0] == title)
                values = [v[0] for r, v in table_rows.items() if r != "Total"]
                assert shown[1:1 + len(values)] == values, (label, table_id)
                checked += len(values)
                continue
            shown = found[table_id]["rows"][1:]  # (the page's share column left out)
            assert [[r, *v] for r, v in table_rows.items()] == [s[:1 + len(v)] for s, v in
                                                                zip(shown, table_rows.values())], (label, table_id)
            assert len(shown) == len(table_rows)
            checked += sum(len(v) for v in table_rows.values())
    assert checked > 200 and hidden > 0
    print(f"long CSV: {len(by_period)} periods, {len(rows)} cells, {checked} checked against the page, {hidden} hidden")
    assert AuditEvent.objects.filter(user=world.member, period="all", action=AuditEvent.Action.CSV).exists()


def test_the_csv_headline_has_the_same_comparisons_as_the_page(member, world):
    html = page(member, world)
    response = member.get(reverse("stats:export", args=[world.site.slug]) + Q3)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    start = rows.index(["Headline figures"]) + 2
    assert rows[start - 1][:4] == ["Figure", "Value", "Out of", "95% interval"]
    board = {f.label: f for f in dashboard.figures(
        staff_data.QUARTER, published(world).derived["2026-Q3"], {"checkins": 0},
        counts=published(world).counts)}
    for row in rows[start:start + len(board)]:
        figure = board[row[0]]
        assert row[1] == (figure.text if figure.text is not None else HIDDEN)
        for part in row[2:4]:
            assert part in html
        if figure.text is None:
            assert row[2:4] == ["", ""]


def test_answer_tables_show_each_share_beside_its_count(member, world):
    found = staff_data.blocks(page(member, world))
    rows = found["dist:chronic_pain"]["rows"]
    assert rows[0][-1] == "% of all check-ins"
    own = published(world).derived["2026-Q3"]
    yes = next(row for row in rows if row[0] == "Yes")
    assert yes[-1] == f"{own['share_chronic_pain']}%"  # the same share as the headline
    assert rows[-1][0] == "Total" and rows[-1][-1] == "100%"
    # A hidden count's share is the same one marker, never a number.
    for block in found.values():
        for row in block["rows"][1:]:
            if len(row) == 3 and row[1] == HIDDEN:
                assert row[2] == HIDDEN


def test_a_period_with_no_checkins_says_so_instead_of_hidden(world):
    """A published period inside the community's range with zero check-ins: the
    page says there were none, and no figure wears the hidden marker."""
    from django.template.loader import render_to_string

    from stats.selectors import ShownTable, SiteTables

    period = periods.parse("2026-06")
    total = ShownTable("total", "Shared check-ins", "", (("All shared check-ins", (0,), None),),
                       ("Check-ins",), (), None)
    own = {"checkins": 0, **dict.fromkeys(key for key, _, _ in dashboard.HEADLINE)}
    board = dashboard.build(SiteTables(period, 11, False, (total,), {period.label: own}, ()), {"checkins": 24})
    assert board.empty
    html = render_to_string("staff/_headline.html", {"board": board, "hidden_label": HIDDEN})
    html += render_to_string("staff/_board.html", {"board": board, "threshold": 11})
    assert "No check-ins in this period" in html
    assert HIDDEN not in html and "hidden" not in html.replace("Nothing is hidden", "").replace("aria-hidden", "")
    assert re.search(r"Down 24 since", html)
