"""The synthetic population looks like a real community's (gaps, skew, correlations)."""

import datetime
import random
from collections import Counter

import pytest

from questionnaire import instruments as ins
from questionnaire import rules, scoring, synthetic
from questionnaire.forms import FORMS
from questionnaire.models import CheckIn, Site
from questionnaire.services import checkin_submit

N = 4000


@pytest.fixture(scope="module")
def population():
    rng = random.Random(7)
    return [synthetic.answers(rng) for _ in range(N)]


def _missing(a, q):
    value = a.get(q.code)
    return value is None or value == [] if q.kind != ins.GRID else None


def test_every_question_is_skipped_by_2_to_15_percent_and_rates_differ(population):
    rates = {}
    in_pain = [a for a in population if a["pain_frequency"] not in ("never", None)]
    for q in ins.QUESTIONS:
        if q.kind == ins.GRID:
            rows = [a[ins.coping_field(o)] for a in population for o, _ in q.rows]
            rates[q.code] = rows.count(None) / len(rows)
            continue
        # Questions about pain are only meaningful to people in pain; opioid duration
        # only to those who take an opioid.
        group = population
        if q.code in ("pain_duration", "pain_areas"):
            group = in_pain
        if q.code == "opioid_duration":
            group = [a for a in population if "rx_opioid" in a["medicines"]]
        rates[q.code] = sum(1 for a in group if _missing(a, q)) / len(group)
    for code, rate in rates.items():
        assert 0.015 <= rate <= 0.16, (code, rate)
    assert max(rates.values()) - min(rates.values()) > 0.08


@pytest.mark.parametrize("code", ["ucla_companionship", "ucla_left_out", "ucla_isolated", "rejected",
                                  "support", "medicines", "safety", "lonely", "opioid_duration"])
def test_sensitive_items_get_prefer_not_to_say(population, code):
    said = [a[code] for a in population if a.get(code) is not None]
    hits = sum(1 for v in said if v == ins.PREFER_NOT or (isinstance(v, list) and ins.PREFER_NOT in v))
    assert 0.01 <= hits / len(said) <= 0.12, hits / len(said)


def test_answers_are_skewed(population):
    safety = Counter(a["safety"] for a in population)
    assert safety["yes"] < 0.05 * N < safety["no"] / 10
    frequency = Counter(a["pain_frequency"] for a in population)
    assert frequency["never"] < frequency["some_days"] + frequency["most_days"] + frequency["every_day"]
    opioid = sum(1 for a in population if "rx_opioid" in a["medicines"])
    assert 0.03 * N < opioid < 0.3 * N


def test_pain_and_loneliness_go_together(population):
    pairs = []
    for a in population:
        s = scoring.score(a)
        if s.peg is not None and s.ucla3 is not None:
            pairs.append((s.peg, s.ucla3))
    xs, ys = zip(*pairs)
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in pairs)
    var = (sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5
    assert 0.2 < cov / var < 0.9
    # Every PEG band and both UCLA bands occur, with "no score" from skipped items.
    bands = Counter(scoring.peg_band(scoring.score(a).peg) for a in population)
    assert all(bands[b] > 0.05 * N for b in ("0-3.9", "4-6.9", "7-10")) and 0 < bands[None] < 0.2 * N


def test_answers_are_what_the_forms_accept(population):
    """Each synthetic check-in, posted step by step, cleans to the same answers."""
    for a in population[:300]:
        for slug, form_class in FORMS.items():
            if slug == "privacy":
                continue
            data = {}
            for code in form_class.step.questions:
                q = ins.BY_CODE[code]
                if q.kind == ins.GRID:
                    data.update({ins.coping_field(o): a[ins.coping_field(o)] for o, _ in q.rows
                                 if a[ins.coping_field(o)] is not None})
                elif q.kind == ins.MULTI:
                    data[code] = a[code]
                elif a.get(code) is not None:
                    data[code] = str(a[code])
            form = form_class(data=_querydict(data))
            assert form.is_valid(), (slug, form.errors, data)
            for name, value in form.cleaned_data.items():
                expected = a.get(name)
                assert value == (expected if expected is not None else ([] if name in ("medicines", "pain_areas") else None)), name


def _querydict(data):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, value)
        else:
            q[key] = value
    return q


@pytest.mark.django_db
def test_synthetic_checkins_save_under_the_database_constraints():
    site = Site.objects.create(slug="synth", name="Synth")
    rng = random.Random(3)
    for _ in range(60):
        a = synthetic.answers(rng)
        s = scoring.score(a)
        checkin_submit(answers=a, scores=s, site=site, shown=rules.shown_item_ids(rules.evaluate(a, s, site=site)), today=datetime.date(2026, 5, 3))
    assert CheckIn.objects.filter(site=site).count() == 60


def test_monthly_volumes_stay_within_20_to_200_and_vary():
    rng = random.Random(5)
    sites = [synthetic.monthly_volumes(rng, 24) for _ in range(200)]
    sizes = [n for site in sites for n in site]
    assert min(sizes) >= 20 and max(sizes) <= 200
    assert sum(1 for n in sizes if n < 40) > 200 and sum(1 for n in sizes if n > 120) > 200
    assert all(len(set(site)) > 5 for site in sites)
    months = synthetic.site_months(random.Random(1), 2025, 11, 4)
    assert list(months) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]


@pytest.mark.django_db
def test_seed_demo_prints_each_password_once_and_none_when_quiet():
    """scripts/run shows the demo passwords once; a scratch database (verbosity 0,
    the publishing benchmark) shows none."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("seed_demo", checkins=3, verbosity=0, stdout=quiet)
    assert "Password" not in quiet.getvalue()
    assert get_user_model().objects.filter(username__in=["demo-staff", "demo-admin"]).count() == 2

    get_user_model().objects.all().delete()
    loud = io.StringIO()
    call_command("seed_demo", checkins=3, stdout=loud)
    assert loud.getvalue().count("Password (shown only this once): ") == 2
    again = io.StringIO()
    call_command("seed_demo", checkins=3, stdout=again)
    assert "Password" not in again.getvalue() and "exists" in again.getvalue()
