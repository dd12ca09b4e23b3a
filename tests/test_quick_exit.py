"""The person's side on a shared device, through HTTP and the plain modules behind it:
the quick exit's decisions, Clear, neutral titles, tel: links, the privacy notice,
Change links and "Clear this answer" (issue 18; issue 19 finding 8)."""

import re

import pytest

from questionnaire import flow, phones, quick_exit

from .conftest import FULL_ANSWERS, start_checkin

CLEAR_SITE_DATA = '"cookies", "storage", "cache"'


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Sec-Fetch-Site": "same-origin"}, True),
    ({"Sec-Fetch-Site": "none"}, True),  # typed, or a bookmark
    ({"Sec-Fetch-Site": "cross-site"}, False),
    ({"Sec-Fetch-Site": "same-site"}, False),  # another subdomain is another site
    ({"Sec-Fetch-Site": "cross-site", "Referer": "https://check.example/checkin/pain/"}, False),
    ({}, True),  # an old browser that says nothing: the exit must still work
    ({"Referer": "https://check.example/checkin/pain/"}, True),
    ({"Referer": "https://elsewhere.example/page"}, False),
])
def test_only_our_own_pages_may_end_a_checkin_through_the_exit(headers, expected):
    assert quick_exit.started_here(headers, host="check.example") is expected


def test_cookies_to_delete_are_every_cookie_sent_and_ours_by_name():
    assert quick_exit.cookies_to_delete({"sessionid": "x", "results": "y"}, ("sessionid", "csrftoken", "")) == [
        "csrftoken", "results", "sessionid"]


@pytest.mark.parametrize(("text", "links"), [
    ("Call Sam at 555-0101.", ["tel:5550101"]),
    ("Ring (555) 555-0101 or +1 555 555 0101", ["tel:5555550101", "tel:+15555550101"]),
    ("SAMHSA: 1-800-662-4357, any time", ["tel:18006624357"]),
    ("Meet on 12 May at 10:30 in room 2041", []),
])
def test_phone_numbers_in_text_become_tel_links(text, links):
    html = phones.link_phones(text)
    assert re.findall(r'href="([^"]+)"', html) == links
    assert re.sub(r"<[^>]+>", "", html) == text  # the words themselves are unchanged


def test_text_around_a_phone_number_is_escaped():
    assert phones.link_phones("<b>555-0101</b>") == '&lt;b&gt;<a href="tel:5550101">555-0101</a>&lt;/b&gt;'


@pytest.mark.django_db
def test_the_exit_from_another_site_shows_a_neutral_page_and_ends_nothing(client, walk, settings):
    walk()
    response = client.get("/leave/", HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 200 and "Clear-Site-Data" not in response
    page = response.content.decode()
    assert "<title>Nothing to show</title>" in page and 'action="/leave/"' in page
    assert flow.SESSION_KEY in client.session  # the check-in goes on
    assert client.post("/leave/", HTTP_SEC_FETCH_SITE="cross-site").status_code == 200
    assert flow.SESSION_KEY in client.session
    # The neutral page's button, pressed on our page, leaves.
    response = client.post("/leave/", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response.url == settings.QUICK_EXIT_URL
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert flow.SESSION_KEY not in client.session


@pytest.mark.django_db
def test_clear_tells_the_browser_to_forget_everything_of_ours(client, walk):
    walk()
    client.post("/checkin/submit/")
    response = client.post("/checkin/clear/")
    assert response["Clear-Site-Data"] == CLEAR_SITE_DATA
    assert response.cookies["sessionid"]["max-age"] == 0


@pytest.mark.django_db
def test_every_checkin_page_after_the_session_ended_is_neutral(client, walk):
    walk(overrides={"wellbeing": {"safety": "yes"}})
    client.get("/leave/")
    for path in ("/checkin/crisis/", "/checkin/pain/", "/checkin/review/", "/checkin/results/",
                 "/checkin/results/print/"):
        page = client.get(path).content.decode()
        assert re.search(r"<title>(.*?)</title>", page).group(1) == "Nothing to show", path
        main = page[page.index("<main"):page.index("</main>")]
        assert "Nothing to show" in main and "Help is here" not in main and "741741" not in main, path


TELLING = re.compile(r"crisis|help|result|medicine|pain|connection", re.I)


@pytest.mark.django_db
def test_no_title_on_the_persons_side_names_what_was_done(client, site):
    titles = {}

    def title(name, response):
        titles[name] = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)

    title("landing", client.get("/"))
    title("about", client.get("/about/"))
    title("privacy", client.get("/privacy/"))
    start_checkin(client, site)
    for slug, data in FULL_ANSWERS.items():
        title(slug, client.get(f"/checkin/{slug}/"))
        data = {**data, "safety": "yes"} if slug == "wellbeing" else data
        client.post(f"/checkin/{slug}/", data)
    title("error", client.post("/checkin/medicines/", {"medicines": ["none", "rx_opioid"]}))
    title("crisis", client.get("/checkin/crisis/"))
    title("review", client.get("/checkin/review/"))
    client.post("/checkin/submit/")
    title("results", client.get("/checkin/results/"))
    title("print", client.get("/checkin/results/print/"))
    title("cleared", client.post("/checkin/clear/"))
    print(titles)
    assert titles["medicines"] == "Step 5 of 7 · Check-in"
    assert titles["error"].startswith("Error: Step 5 of 7")
    assert not {name: t for name, t in titles.items() if TELLING.search(t)}, titles


@pytest.mark.django_db
def test_the_privacy_step_names_the_community_or_says_anonymous_statistics(client, site):
    start_checkin(client, site)
    page = client.get("/checkin/privacy/").content.decode()
    assert "statistics of Riverside Recovery" in page and "Using a shared or work device?" in page
    start_checkin(client)
    page = client.get("/checkin/privacy/").content.decode()
    note = page[page.index('<div class="privacy-note">'):]
    note = note[:note.index("</div>")]
    # The choice's own label comes from questionnaire.instruments (not this page's note).
    assert "our anonymous statistics" in note and "community" not in note


@pytest.mark.django_db
def test_the_privacy_notice_says_what_is_kept_where_how_long_and_who_sees_it(client):
    page = client.get("/privacy/").content.decode()
    for words in ("While you answer", "Keep only for me", "Share anonymously", "Who sees what",
                  "Any count from 1 to 10 is hidden", "after a while with no activity"):
        assert words in page, words
    assert 'href="/privacy/"' in client.get("/").content.decode()  # linked from every page's footer


@pytest.mark.django_db
def test_change_lands_on_the_question_and_the_return_on_the_same_answer(client, walk):
    walk()
    review = client.get("/checkin/review/").content.decode()
    link = "/checkin/connection/?from=review&amp;q=support#question-support"
    assert f'href="{link}"' in review and 'id="answer-support"' in review
    step = client.get("/checkin/connection/?from=review&q=support").content.decode()
    assert 'id="question-support"' in step
    response = client.post("/checkin/connection/?from=review&q=support", {**FULL_ANSWERS["connection"], "support": "always"})
    assert response.url == "/checkin/review/#answer-support"
    # A question that is not on this step gives no anchor (nothing is taken from the URL blindly).
    response = client.post("/checkin/connection/?from=review&q=nonsense", FULL_ANSWERS["connection"])
    assert response.url == "/checkin/review/"


@pytest.mark.django_db
def test_clear_this_answer_works_without_javascript_and_keeps_the_rest(client):
    start_checkin(client)
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    page = client.get("/checkin/pain/").content.decode()
    assert 'value="clear:pain_frequency"' in page
    assert 'value="clear:pain_areas"' not in page  # tick boxes clear by unticking
    response = client.post("/checkin/pain/", {**FULL_ANSWERS["pain"], "action": "clear:pain_frequency"})
    assert response.status_code == 302 and response.url == "/checkin/pain/#question-pain_frequency"
    saved = flow.initial(client.session, "pain")
    assert not saved.get("pain_frequency") and saved["pain_duration"] == "3_months_plus"
    # A made-up question to clear is ignored: the step saves as sent and goes on.
    response = client.post("/checkin/pain/", {**FULL_ANSWERS["pain"], "action": "clear:nonsense"})
    assert response.url == "/checkin/past-week/"
    # Enter in a field sends "save" first (the form's first button), never a "Clear".
    page = client.get("/checkin/pain/").content.decode()
    form = page[page.index('<form method="post" novalidate'):]
    assert re.findall(r'<button type="submit" name="action" value="([^"]+)"', form)[0] == "save"


@pytest.mark.django_db
def test_the_communitys_contact_phone_is_a_tel_link(client, walk, site):
    walk(site=site)
    client.post("/checkin/submit/")
    page = client.get("/checkin/results/").content.decode()
    assert '<a href="tel:5550101">555-0101</a>' in page
