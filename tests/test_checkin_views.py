"""The check-in flow through HTTP: every step, back, review, crisis, privacy, submit."""

import datetime
import gzip
import html
import re

import pytest

from questionnaire import flow, scoring, services
from questionnaire.instruments import STEPS
from questionnaire.models import CheckIn, CheckInItem
from questionnaire.sessions import SessionStore

from .conftest import FULL_ANSWERS, answer_all, start_checkin
from .safety_frame import assert_frame

pytestmark = pytest.mark.django_db
SLUGS = [s.slug for s in STEPS]


def test_landing_explains_and_starts(client):
    page = client.get("/").content.decode()
    assert "about 5 minutes" in page and "not a test" in page and "do not need an account" in page
    response = start_checkin(client)
    assert response.url == "/checkin/privacy/"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_step_shows_its_number_and_questions(client, slug):
    start_checkin(client)
    page = client.get(f"/checkin/{slug}/").content.decode()
    assert f"Step {SLUGS.index(slug) + 1} of {len(SLUGS)}" in page
    assert "<fieldset" in page and "<legend" in page


@pytest.mark.parametrize("slug", SLUGS)
def test_a_valid_post_saves_and_moves_on(client, slug):
    start_checkin(client)
    response = client.post(f"/checkin/{slug}/", FULL_ANSWERS[slug])
    assert response.status_code == 302
    following = flow.next_step(slug)
    assert response.url == (f"/checkin/{following}/" if following else "/checkin/review/")
    assert client.session[flow.SESSION_KEY]["privacy" if slug == "privacy" else "steps"]


def test_privacy_choice_is_required(client):
    start_checkin(client)
    response = client.post("/checkin/privacy/", {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose whether to share" in page
    assert "<title>Error:" in page


def test_invalid_post_keeps_earlier_answers_and_this_steps_input(client):
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    client.post("/checkin/pain/", FULL_ANSWERS["pain"])
    response = client.post(
        "/checkin/medicines/", {"medicines": ["none", "rx_opioid"], "opioid_duration": "3_months_plus"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You chose “None” and another answer" in page
    assert 'value="rx_opioid" name="medicines"' in page.replace('name="medicines" value="rx_opioid"', 'value="rx_opioid" name="medicines"') or "checked" in page
    saved = client.session[flow.SESSION_KEY]
    assert saved["privacy"] == "share"
    assert saved["steps"]["pain"]["pain_frequency"] == "every_day"
    assert "medicines" not in saved["steps"]


def test_back_saves_this_step_and_returns_to_the_previous_one(client):
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    response = client.post("/checkin/pain/", {**FULL_ANSWERS["pain"], "action": "back"})
    assert response.url == "/checkin/privacy/"
    page = client.get("/checkin/pain/").content.decode()
    assert 'value="every_day"' in page and "checked" in page
    assert client.session[flow.SESSION_KEY]["steps"]["pain"]["pain_areas"] == ["back_neck", "head"]


def test_saved_answers_fill_the_form_again(client):
    start_checkin(client)
    client.post("/checkin/past-week/", FULL_ANSWERS["past-week"])
    page = client.get("/checkin/past-week/").content.decode()
    assert page.count("checked") == 3


def test_review_lists_every_answer_with_change_links(client, walk):
    walk()
    page = client.get("/checkin/review/").content.decode()
    assert "Every day" in page and "3 months or more" in page and "Back or neck" in page
    assert "7 out of 10" in page and "Often or always" in page and "Rarely" in page
    assert "Using now" in page and "Not answered" in page
    assert page.count(">Change<") >= 20
    assert "/checkin/pain/?from=review" in page


def test_change_from_review_returns_to_review(client, walk):
    walk()
    response = client.post("/checkin/pain/?from=review", {**FULL_ANSWERS["pain"], "pain_frequency": "some_days"})
    assert response.url == "/checkin/review/"
    assert "Some days" in client.get("/checkin/review/").content.decode()


def test_safety_yes_goes_to_the_crisis_page_and_continues_with_nothing_lost(client):
    start_checkin(client)
    for slug in SLUGS[:-1]:
        client.post(f"/checkin/{slug}/", FULL_ANSWERS[slug])
    response = client.post("/checkin/wellbeing/", {"sleep": "poorly", "safety": "yes"})
    assert response.url == "/checkin/crisis/"
    page = client.get(response.url).content.decode()
    for needed in ('href="tel:911"', 'href="tel:988"', 'href="sms:988"', "741741", "HOME"):
        assert needed in page
    assert "Go on with the check-in" in page and 'href="/checkin/review/"' in page
    answers = flow.answers(client.session)
    assert answers["pain_frequency"] == "every_day" and answers["safety"] == "yes"


def test_crisis_early_continues_at_the_first_unanswered_step(client):
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    client.post("/checkin/wellbeing/", {"safety": "yes"})
    page = client.get("/checkin/crisis/").content.decode()
    assert 'href="/checkin/pain/"' in page


def test_share_stores_one_anonymous_row_with_scores_and_items(client, walk, site):
    walk(site=site)
    client.get("/checkin/review/")
    response = client.post("/checkin/submit/")
    assert response.url == "/checkin/results/"
    row = CheckIn.objects.get()
    assert row.site == site
    assert row.pain_frequency == "every_day" and row.area_back_neck and row.area_head and not row.area_nerve
    assert row.peg_pain == 7 and float(row.peg) == 7.0 and row.ucla3 == 8
    assert row.chronic_pain and row.high_impact_chronic_pain and row.long_term_opioid
    assert row.coping_sleep_hygiene == "using_now" and row.coping_cbt is None
    assert row.content_version
    assert CheckInItem.objects.filter(checkin=row).exists()
    assert client.get("/checkin/results/").status_code == 200


def test_keep_only_for_me_leaves_no_row_and_the_results_live_in_the_browser(client, walk):
    from django.contrib.sessions.models import Session

    from questionnaire.sessions import is_sealed

    walk(privacy="private")
    client.get("/checkin/review/")
    client.post("/checkin/submit/")
    assert CheckIn.objects.count() == 0 and CheckInItem.objects.count() == 0
    assert Session.objects.count() == 0 and is_sealed(client.cookies["sessionid"].value)
    page = client.get("/checkin/results/").content.decode()
    assert "Your results" in page and "keep your answers only for you" in page
    # Another page, then Back (or a reload): the results are still there, from the cookie alone.
    client.get("/about/")
    assert "Your results" in client.get("/checkin/results/").content.decode()
    assert Session.objects.count() == 0


def test_double_submit_creates_exactly_one_row(client, walk):
    walk()
    client.post("/checkin/submit/")
    client.post("/checkin/submit/")
    assert CheckIn.objects.count() == 1


def test_two_requests_that_both_read_the_session_save_one_row(client, walk):
    """A race: both requests loaded the in-progress session before either saved."""
    walk()
    key = client.cookies["sessionid"].value
    first, second = SessionStore(key), SessionStore(key)
    assert flow.answers(first) == flow.answers(second) != {}
    for session in (first, second):
        answers = flow.answers(session)
        services.checkin_submit(
            answers=answers, scores=scoring.score(answers), site=None, shown=[],
            claim=lambda: flow.claim(session), today=datetime.date(2026, 11, 2),
        )
    assert CheckIn.objects.count() == 1


def test_a_second_submit_with_the_old_cookie_saves_nothing(client, walk):
    walk()
    old = client.cookies["sessionid"].value
    client.post("/checkin/submit/")
    client.cookies["sessionid"] = old  # a double click: the second POST still carries the old key
    response = client.post("/checkin/submit/")
    assert response.status_code == 302 and response["Location"] == "/checkin/results/?sent=twice"
    page = client.get(response["Location"]).content.decode()  # this browser kept only the old cookie
    assert "Then your answers were sent the first time" in page
    assert CheckIn.objects.count() == 1


def test_a_second_press_that_fails_its_csrf_check_says_the_first_was_sent(client, walk):
    from django.test import Client

    walk()
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["sessionid"] = client.cookies["sessionid"].value
    page = strict.get("/checkin/review/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client = strict
    old = client.cookies["sessionid"].value
    assert client.post("/checkin/submit/", {"csrfmiddlewaretoken": token}).status_code == 302
    sealed = client.cookies["sessionid"].value
    client.cookies["sessionid"] = old  # the second press still carries the old cookie: no session
    response = client.post("/checkin/submit/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # not a 403: on to where the first press leads
    assert response["Location"] == "/checkin/results/?sent=twice"
    assert CheckIn.objects.count() == 1
    # The browser never got the first answer's cookie: a kind page says the first press sent them.
    client.cookies["sessionid"] = old
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Then your answers were sent the first time" in page.content.decode()
    # It did get it: the results.
    client.cookies["sessionid"] = sealed
    assert "Your results" in client.get(response["Location"]).content.decode()
    assert CheckIn.objects.count() == 1


def test_submitted_checkin_cannot_be_changed(client, walk):
    walk()
    client.post("/checkin/submit/")
    response = client.post("/checkin/pain/", {"pain_frequency": "never"})
    assert response.url == "/checkin/results/"
    assert CheckIn.objects.get().pain_frequency == "every_day"


def test_results_summarise_what_the_person_said(client, walk):
    walk()
    client.post("/checkin/submit/")
    page = client.get("/checkin/results/").content.decode()
    text = visible(page)
    assert "Pain score, past week 7 out of 10" in text  # PEG mean of 7, 6, 8
    assert "Feeling alone 8 from 3 to 9" in text and "on a scale from" not in text
    # What was said, not what the person is (companionship and isolated "often", left out "some of the time").
    assert "Your answers say you often feel cut off." in text
    assert "Clear my answers" in page and "Start again" in page


def test_clear_flushes_and_explains_a_shared_copy(client, walk):
    walk()
    client.post("/checkin/submit/")
    page = client.post("/checkin/clear/").content.decode()
    assert "Your answers are cleared" in page and "Nothing links it back to you" in page
    assert flow.SESSION_KEY not in client.session
    assert CheckIn.objects.count() == 1


def test_quick_exit_ends_the_session_and_leaves(client, walk, settings):
    walk()
    response = client.get("/leave/")
    assert response.status_code == 302 and response.url == settings.QUICK_EXIT_URL
    assert flow.SESSION_KEY not in client.session
    assert "Nothing to show" in client.get("/checkin/review/").content.decode()


@pytest.mark.parametrize("path", ["/checkin/pain/", "/checkin/review/", "/checkin/results/"])
def test_missing_session_gives_a_kind_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Nothing to show" in response.content.decode()


@pytest.mark.parametrize("path", ["/checkin/pain/", "/checkin/submit/"])
def test_expired_session_on_post_gives_a_kind_page(client, path):
    response = client.post(path, {"pain_frequency": "never"})
    assert response.status_code == 200
    assert "Go to the start page" in response.content.decode()


def test_community_link_starts_a_checkin_for_that_site(client, site):
    page = client.get(f"/c/{site.slug}/").content.decode()
    assert "Riverside Recovery" in page
    start_checkin(client, site)
    assert client.session[flow.SESSION_KEY]["site"] == site.slug


def test_unknown_community_is_a_404_with_the_frame(client):
    response = client.get("/c/no-such-place/")
    assert response.status_code == 404
    assert_frame(response.content.decode())


def test_inactive_community_says_so_and_offers_the_general_checkin(client, site):
    site.is_active = False
    site.save()
    page = client.get(f"/c/{site.slug}/").content.decode()
    assert "not open now" in page and "general check-in" in page
    assert client.post(f"/c/{site.slug}/").status_code == 200
    assert flow.SESSION_KEY not in client.session


def test_unknown_step_is_404(client):
    start_checkin(client)
    assert client.get("/checkin/nope/").status_code == 404


def test_answers_never_appear_in_urls(client, walk):
    start_checkin(client)
    response = answer_all(client)
    assert "?" not in response.url


def test_individual_pages_are_never_cached(client):
    start_checkin(client)
    assert "no-store" in client.get("/checkin/pain/")["Cache-Control"]


def test_coming_back_to_the_start_page_offers_to_go_on_with_nothing_lost(client):
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    client.post("/checkin/pain/", FULL_ANSWERS["pain"])
    page = client.get("/").content.decode()
    assert "Go on where I left off" in page and 'href="/checkin/past-week/"' in page
    assert flow.answers(client.session)["pain_frequency"] == "every_day"


@pytest.mark.parametrize(
    ("slug", "cleaned", "back", "from_review", "expected"),
    [
        ("wellbeing", {"safety": "yes"}, False, False, ("crisis", None)),
        ("wellbeing", {"safety": "yes"}, True, True, ("crisis", None)),
        ("pain", {}, True, False, ("step", "privacy")),
        ("privacy", {}, True, False, ("step", "pain")),  # nothing before the first step
        ("pain", {}, False, True, ("review", None)),
        ("wellbeing", {"safety": "no"}, False, False, ("review", None)),
        ("pain", {}, False, False, ("step", "past-week")),
    ],
)
def test_after_step_decides_where_a_saved_step_leads(slug, cleaned, back, from_review, expected):
    assert flow.after_step(slug, cleaned, back=back, from_review=from_review) == expected


def visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def results_page(client, walk, **overrides):
    walk(overrides=overrides or None)
    client.post("/checkin/submit/")
    return client.get("/checkin/results/").content.decode()


def test_results_open_with_the_summary_then_next_steps_that_link_to_their_cards(client, walk):
    page = results_page(client, walk)
    assert "Help is here right now" not in page  # the safety answer was "no"
    said, steps, jump = (page.index(word) for word in ("What you told us", "Your next steps", "On this page"))
    first_lane = page.index('id="lane-')
    assert said < steps < jump < first_lane
    links = re.findall(r'<ol class="next-steps"[^>]*>(.*?)</ol>', page, re.S)[0]
    targets = re.findall(r'href="#item-([a-z0-9_]+)"', links)
    assert 3 <= len(targets) <= 5
    for target in targets:
        assert f'id="item-{target}"' in page
    lanes = re.findall(r'<section class="lane lane-([a-z_]+)"', page)
    # The walk's answers include a prescribed opioid: medicine safety follows what to try.
    assert lanes[:5] == ["try_now", "medicine_safety", "ask_clinician", "connect", "understand"]


def test_a_yes_to_safety_puts_the_help_buttons_first_in_order(client, walk):
    page = results_page(client, walk, wellbeing={"safety": "yes"})
    help_at = page.index("Help is here right now")
    assert help_at < page.index("What you told us")
    order = [page.index(f'href="{href}"', help_at) for href in
             ("tel:988", "sms:988", "sms:741741?&amp;body=HOME", "tel:911")]
    assert order == sorted(order)


def test_the_source_is_credited_once_per_results_page(client, walk):
    page = results_page(client, walk)
    assert page.count("Pinnacle Treatment Centers") == 1


def test_cards_fold_the_long_text_in_details(client, walk):
    page = results_page(client, walk)
    assert page.count("<details class=\"item-more\">") >= 5
    assert "More about this" in page


def test_multi_choice_answers_are_lists_on_review_and_results(client, walk):
    walk(overrides={"medicines": {"medicines": ["otc", "rx_opioid"], "opioid_duration": "3_months_plus"}})
    for page in (client.get("/checkin/review/").content.decode(),
                 (client.post("/checkin/submit/"), client.get("/checkin/results/"))[1].content.decode()):
        lists = re.findall(r'<ul class="answer-choices">(.*?)</ul>', page, re.S)
        assert any(chunk.count("<li>") == 2 for chunk in lists), "medicines not listed"
        assert any("Back or neck" in chunk and "<li>" in chunk for chunk in lists), "pain areas not listed"


def test_print_view_is_a_plain_link_for_a_shared_checkin(client, walk):
    page = results_page(client, walk)
    assert 'href="/checkin/results/print/"' in page
    printable = client.get("/checkin/results/print/").content.decode()
    main = printable[printable.index("<main"):printable.index("</main>")]
    assert "Your results to print" in printable and "<details" not in main  # (the frame folds its extra lines)
    assert "Why this is shown" in printable and "Your check-in of" in printable


def test_private_results_have_the_print_view_too(client, walk):
    walk(privacy="private")
    client.post("/checkin/submit/")
    page = client.get("/checkin/results/").content.decode()
    assert 'href="/checkin/results/print/"' in page
    assert "Your results to print" in client.get("/checkin/results/print/").content.decode()
    assert CheckIn.objects.count() == 0


def test_crisis_page_offers_five_large_buttons_in_order_then_going_on(client):
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    client.post("/checkin/wellbeing/", {"safety": "yes"})
    page = client.get("/checkin/crisis/").content.decode()
    hrefs = re.findall(r'<a class="btn btn-help[^"]*" href="([^"]+)"', page)
    assert hrefs == ["tel:988", "sms:988", "https://988lifeline.org/chat", "sms:741741?&amp;body=HOME", "tel:911"]
    assert "988lifeline.org/help-yourself/for-deaf-hard-of-hearing/" in page
    assert "No one is alerted" in page
    assert page.index("tel:911\">Call 911") < page.index("Go on with the check-in")
    assert 'class="lead"' not in page  # Bootstrap's lead is weight 300


@pytest.mark.parametrize("path", ["/", "/about/", "/checkin/crisis/", "/checkin/pain/", "/checkin/review/",
                                  "/checkin/results/", "/checkin/results/print/", "/no-such-page/"])
def test_head_is_answered_wherever_get_is(client, path):
    start_checkin(client)
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code != 405
    assert head.content == b""


def test_html_is_compressed_and_the_favicon_and_description_are_ours(client):
    response = client.get("/about/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert '<meta name="description" content="' in page
    assert 'rel="icon"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_csrf_cookie_ends_with_the_visit_and_the_exit_deletes_every_cookie(client, walk):
    walk()
    client.get("/checkin/review/")  # a page with a form: its token comes in a cookie
    assert client.cookies["csrftoken"]["max-age"] == "" and client.cookies["csrftoken"]["expires"] == ""
    response = client.get("/leave/")
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies.get(name)
        assert cookie is not None and cookie["max-age"] == 0, name  # told to the browser: delete it
    assert all(morsel["max-age"] == 0 for morsel in response.cookies.values()), response.cookies
    assert response["Clear-Site-Data"] == '"cookies", "storage", "cache"'


def test_the_page_behind_the_exit_has_a_neutral_title(client, walk):
    walk()
    client.get("/leave/")
    page = client.get("/checkin/review/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip() == "Nothing to show"


def test_a_request_rejected_before_the_session_gets_a_400_not_a_500(settings):
    from django.test import Client

    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True  # the bad Host is seen before the session loads
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_frame(response.content.decode())


def test_staff_pages_answer_head_too(client, django_user_model):
    user = django_user_model.objects.create_user("staff-head", password="a long enough password 1")
    client.force_login(user)
    for path in ("/staff/", "/staff/login/", "/staff/password/"):
        assert client.head(path).status_code == client.get(path).status_code != 405, path


def test_a_form_sent_after_the_session_ended_says_the_answers_are_gone(walk):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/").status_code == 403  # refused: no token yet
    page = strict.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert "csrftoken" in strict.cookies and "sessionid" not in strict.cookies  # no session for a look
    response = strict.post("/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    page = strict.get("/checkin/privacy/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    strict.get("/leave/")  # the session ends, and the token with it
    response = strict.post("/checkin/privacy/", {"csrfmiddlewaretoken": token, "privacy": "share"})
    assert response.status_code == 403
    assert "Nothing to show" in response.content.decode()
    assert "still here" not in response.content.decode()


@pytest.mark.django_db(transaction=True)  # as served: no test transaction around the requests
def test_each_request_of_a_checkin_makes_few_round_trips_to_the_database(client, django_assert_num_queries):
    """The session is read once and, when it changed, written in one statement (issue 12):
    no BEGIN/COMMIT around a save, no lookup of a new key, a new check-in's row written once."""
    with django_assert_num_queries(0):  # a look writes nothing (the CSRF token is a cookie)
        client.get("/")
    with django_assert_num_queries(1):  # no session yet: nothing to read or delete; one INSERT
        start_checkin(client)
    with django_assert_num_queries(3):  # starting again: read, delete the old row, INSERT under a new key
        start_checkin(client)
    with django_assert_num_queries(1):  # read
        client.get("/checkin/privacy/")
    with django_assert_num_queries(2):  # read, one UPDATE
        client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    key = client.cookies["sessionid"].value
    assert SessionStore(key).load()[flow.SESSION_KEY]["privacy"] == FULL_ANSWERS["privacy"]["privacy"]


def test_a_session_key_is_new_and_long_and_a_clash_draws_again(db):
    from django.contrib.sessions.models import Session

    store = SessionStore()
    store["x"] = 1
    store.save()
    keys = {store.session_key}
    taken = store.session_key
    fresh_key = "b" * 84
    drawn = iter([taken[:32] + "c" * 52, fresh_key])  # the same row id under another key
    other = SessionStore()
    other._get_new_session_key = lambda: next(drawn)  # the first row id drawn is taken
    other["y"] = 2
    other.save()
    assert other.session_key == fresh_key
    assert Session.objects.filter(session_key=taken[:32]).count() == 1
    assert SessionStore(taken).load() == {"x": 1}  # the clash did not overwrite it
    for _ in range(50):
        fresh = SessionStore()
        fresh["z"] = 3
        fresh.save()
        keys.add(fresh.session_key)
        assert len(fresh.session_key) == 84 and fresh.session_key.isalnum() and fresh.session_key.islower()
    assert len(keys) == 51
    assert {len(row.session_key) for row in Session.objects.all()} == {32}  # the key half never stored
