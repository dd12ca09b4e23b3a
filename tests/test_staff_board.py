"""The dashboard across periods, its downloads and its reading help: every headline
figure over 8 quarters (gaps as gaps, hidden as the marker, benchmarks as a line),
each chart as an audited SVG file, a definitions panel per figure and table, the
new-figures e-mail (no numbers, a link only), the settings page where staff opt in,
and the poster's canonical link."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from questionnaire.models import Membership
from stats import checks, content, dashboard, disclosure, periods
from stats.models import AuditEvent, StaffSettings

from . import staff_data
from .staff_data import world  # noqa: F401 - a fixture

HIDDEN = disclosure.HIDDEN_LABEL
Q3 = periods.parse("2026-Q3")


@pytest.fixture
def member(world, db):
    client = Client()
    client.force_login(world.member)
    return client


def figures(checkins, **values):
    return {"checkins": checkins, **{key: values.get(key) for key, _, _ in dashboard.HEADLINE}}


# --- Trends across periods (pure) ---------------------------------------------------

def test_a_trend_shows_the_last_8_quarters_or_12_months_oldest_first():
    assert [p.label for p in dashboard.series_periods(Q3)] == [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert dashboard.series_periods(periods.parse("2026"))[-1].label == "2026-Q4"
    months = dashboard.series_periods(periods.parse("2026-08"))
    assert len(months) == 12 and months[0].label == "2025-09" and months[-1].label == "2026-08"
    assert dashboard.series_periods(periods.parse("2026-Q1"))[0].label == "2024-Q2"  # across a year's end


def test_a_trend_draws_gaps_as_gaps_hidden_as_the_marker_and_the_benchmark_as_a_line():
    across = {
        # 2024-Q4 not published: a gap
        "2025-Q1": figures(0),  # no check-ins: a gap, never "hidden"
        "2025-Q2": figures(30, share_chronic_pain=40, mean_peg=5.0),
        "2025-Q3": figures(None),  # withheld: every figure hidden
        "2025-Q4": figures(25, share_chronic_pain=None, mean_peg=4.5),  # chronic pain hidden
        "2026-Q1": figures(40, share_chronic_pain=55, mean_peg=4.0),
        "2026-Q2": figures(41, share_chronic_pain=50, mean_peg=4.2),
        "2026-Q3": figures(42, share_chronic_pain=60, mean_peg=4.1),
    }
    blocks = {b.id: b for b in dashboard.series(Q3, across)}
    assert set(blocks) == {"series:checkins"} | {f"series:{key}" for key, _, _ in dashboard.HEADLINE}
    chronic = ET.fromstring(str(blocks["series:share_chronic_pain"].chart))
    ns = "{http://www.w3.org/2000/svg}"
    points = chronic.findall(f"{ns}circle")
    markers = [t for t in chronic.iter(f"{ns}text") if t.get("class") == "marker small"]
    assert len(points) == 4  # 2025-Q2, 2026-Q1, Q2, Q3
    assert len(markers) == 2  # 2025-Q3 withheld, 2025-Q4 hidden: gaps draw nothing
    # Lines join only neighbours that are both shown: 2026-Q1 to Q3; 2025-Q2 stands alone.
    lines = chronic.findall(f"{ns}polyline")
    assert [len(line.get("points").split()) for line in lines] == [3]
    assert chronic.find(f"{ns}line[@class='reference']") is not None  # US adults 20.4%
    peg = ET.fromstring(str(blocks["series:mean_peg"].chart))
    assert peg.find(f"{ns}line[@class='reference']") is None  # no benchmark, no line
    # The table beside it says why each gap is one.
    cells = dict((label, cells[0]) for label, cells in blocks["series:share_chronic_pain"].grid.rows)
    assert cells["Q4 2024"] == dashboard.NOT_PUBLISHED
    assert cells["Q1 2025"] == dashboard.NOTHING
    assert cells["Q3 2025"] == HIDDEN and cells["Q4 2025"] == HIDDEN
    assert cells["Q3 2026"] == 60
    checkins = dict((label, cells[0]) for label, cells in blocks["series:checkins"].grid.rows)
    assert checkins["Q1 2025"] == 0  # a count of zero is shown as zero


# --- On the page ----------------------------------------------------------------------

def test_the_dashboard_draws_each_headline_across_quarters_from_the_publications(member, world):
    html = member.get(reverse("stats:dashboard", args=[world.site.slug]) + "?period=2026-Q3").content.decode()
    own = staff_data.tables(world.site.pk).derived["2026-Q3"]
    found = staff_data.blocks(html)
    for key, _, kind in dashboard.HEADLINE:
        rows = found[f"series:{key}"]["rows"]
        assert len(rows) == 1 + dashboard.SERIES_QUARTERS
        assert rows[-1][0] == "Q3 2026"
        assert rows[-1][1] == (HIDDEN if own[key] is None else str(own[key])), key
        assert rows[-2][1] == dashboard.NOTHING  # Q2 was published with no check-ins


def test_every_chart_and_figure_has_what_it_counts(member, world):
    html = member.get(reverse("stats:dashboard", args=[world.site.slug]) + "?period=2026-Q3").content.decode()
    sections = re.findall(r'<section class="block" data-table="([^"]+)".*?</section>', html, re.S)
    assert len(sections) > 30
    for block_id in sections:
        assert content.table_definition(block_id) is not None, block_id
    assert html.count("<summary>What this counts") == len(sections)
    for key, _, _ in dashboard.HEADLINE:
        about = content.HEADLINE_DEFINITIONS[key]
        assert about.question and about.numerator and about.denominator and about.source
    assert "What you could do with this:" in html  # the coping table's planning line


def test_each_chart_downloads_as_an_audited_svg_file_with_the_pages_numbers(member, world):
    url = reverse("stats:chart", args=[world.site.slug])
    before = AuditEvent.objects.filter(action=AuditEvent.Action.SVG).count()
    response = member.get(url + "?period=2026-Q3&chart=dist:chronic_pain")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="checkins-riverside-2026-Q3-dist-chronic-pain.svg"'
    svg = response.content.decode()
    root = ET.fromstring(svg)  # well-formed XML, to open in any program
    assert root.find("{http://www.w3.org/2000/svg}style").text.count(".chart .c0") == 1  # styles travel with it
    page = staff_data.blocks(member.get(reverse("stats:dashboard", args=[world.site.slug]) + "?period=2026-Q3")
                             .content.decode())
    shown = [text for cls, text in page["dist:chronic_pain"]["svg"] if cls in ("value", "marker")]
    in_file = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") in ("value", "marker")]
    assert in_file == shown and shown
    assert "Riverside Recovery" in svg
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SVG).count() == before + 1
    event = AuditEvent.objects.filter(action=AuditEvent.Action.SVG).first()
    assert (event.user, event.site, event.period) == (world.member, world.site, "2026-Q3")
    assert member.head(url + "?period=2026-Q3&chart=dist:chronic_pain").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SVG).count() == before + 1  # HEAD: no numbers
    for bad in ("?period=2026-Q3&chart=nonsense", "?period=2026-Q3", "?period=9999-Q4&chart=series:checkins"):
        assert member.get(url + bad).status_code == 404, bad


# --- New figures announced ------------------------------------------------------------

def test_staff_who_opt_in_get_one_email_with_a_link_and_no_numbers(world, db, settings):
    settings.PUBLIC_URL = "https://checkin.example.org"
    User = type(world.member)
    keen = User.objects.create_user("keen", email="keen@example.org")
    Membership.objects.create(user=keen, site=world.site)
    StaffSettings.objects.create(user=keen, email_new_figures=True)
    quiet = User.objects.create_user("quiet", email="quiet@example.org")  # a member who did not opt in
    Membership.objects.create(user=quiet, site=world.site)
    away = User.objects.create_user("away", email="away@example.org", is_active=False)
    Membership.objects.create(user=away, site=world.site)
    StaffSettings.objects.create(user=away, email_new_figures=True)
    other = User.objects.create_user("other", email="other@example.org")  # another community's
    Membership.objects.create(user=other, site=world.other)
    StaffSettings.objects.create(user=other, email_new_figures=True)
    staff_data.fill(world.site, sizes={10: 20, 11: 20, 12: 20}, seed=11)
    mail.outbox.clear()
    call_command("publish", today="2027-01-05", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [["keen@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "New figures for Riverside Recovery"
    link = "https://checkin.example.org/staff/sites/riverside/?period=2026"
    assert link in message.body
    # No figure in it: take away the link and the periods' names, and no digit is left.
    words = message.body.replace(link, "")
    for label in ("Q4 2026 (October to December)", "December 2026", "November 2026", "October 2026", "2026"):
        words = words.replace(label, "")
    assert not re.search(r"[0-9]", words), words
    mail.outbox.clear()
    call_command("publish", today="2027-01-06", stdout=open("/dev/null", "w"))
    assert mail.outbox == []  # nothing new, nothing sent


def test_no_link_no_email(world, db, settings):
    settings.PUBLIC_URL = ""
    User = type(world.member)
    keen = User.objects.create_user("keen2", email="keen2@example.org")
    Membership.objects.create(user=keen, site=world.site)
    StaffSettings.objects.create(user=keen, email_new_figures=True)
    staff_data.fill(world.site, sizes={10: 20}, seed=12)
    mail.outbox.clear()
    call_command("publish", today="2026-11-05", stdout=open("/dev/null", "w"))
    assert mail.outbox == []


def test_a_staff_member_opts_in_and_out_on_their_settings_page(world, db):
    client = Client()
    user = world.member
    client.force_login(user)
    url = reverse("stats:settings")
    html = client.get(url).content.decode()
    assert 'name="email_new_figures"' in html and 'name="email"' in html and " checked" not in html
    # News needs an address: the box stays ticked and the error says what to do.
    response = client.post(url, {"email_new_figures": "on", "email": ""})
    assert response.status_code == 200 and "Enter the e-mail address" in response.content.decode()
    assert " checked" in response.content.decode() and not StaffSettings.objects.filter(user=user).exists()
    response = client.post(url, {"email_new_figures": "on", "email": "not an address"})
    assert "Enter an e-mail address like" in response.content.decode() and 'value="not an address"' in \
        response.content.decode()
    response = client.post(url, {"email_new_figures": "on", "email": "member@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "member@example.org" and StaffSettings.objects.get(user=user).email_new_figures is True
    assert " checked" in client.get(url).content.decode()
    client.post(url, {"email": "member@example.org"})  # the box unticked
    assert StaffSettings.objects.get(user=user).email_new_figures is False
    for odd in ({"email_new_figures": ["on", "x" * 10_000], "email": "a@b.org\x00"}, {"email": "y" * 100_000}):
        assert client.post(url, odd).status_code in (200, 302)  # odd input: no 500


# --- The poster's link ----------------------------------------------------------------

def test_the_poster_takes_its_link_from_public_url_not_the_requests_host(member, world, settings):
    settings.PUBLIC_URL = "https://checkin.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    html = member.get(reverse("stats:poster", args=[world.site.slug]), HTTP_HOST="evil.example").content.decode()
    assert "https://checkin.example.org/c/riverside/" in html and "evil.example" not in html


def test_public_url_is_checked_at_start_up(settings):
    settings.DEBUG = False
    settings.PUBLIC_URL = ""
    assert [m.id for m in checks.public_url(None)] == ["stats.W002"]
    for bad in ("checkin.example.org", "https://checkin.example.org/c/", "ftp://x.org", "https://"):
        settings.PUBLIC_URL = bad
        assert [m.id for m in checks.public_url(None)] == ["stats.E002"], bad
    settings.PUBLIC_URL = "https://checkin.example.org"
    assert checks.public_url(None) == [] and checks.public_url_https(None) == []
    settings.PUBLIC_URL = "http://checkin.example.org"
    assert [m.id for m in checks.public_url_https(None)] == ["stats.W003"]
