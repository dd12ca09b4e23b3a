"""English and Spanish on the person's side (issue 22): the language lives in the
address (English unprefixed, Spanish under /es/), never in a cookie; a link on
every page leads to the same page in the other language; a first visit follows
the browser's language once; the crisis routes, error pages and poster follow the
language; staff pages stay English."""

import base64
import re
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from questionnaire import crisis_lines, flow, languages

from .conftest import FULL_ANSWERS
from .safety_frame import FRAME_SPANISH, assert_frame, page_language

# --- The decisions, without a request ---------------------------------------------------


@pytest.mark.parametrize(("header", "expected"), [
    ("es-MX,es;q=0.9,en;q=0.5", "es"),
    ("es", "es"),
    ("en-US,en;q=0.9,es;q=0.8", "en"),
    ("fr-FR,fr;q=0.9,es;q=0.5", "es"),  # the first of ours, by weight
    ("en;q=0.3,es;q=0.7", "es"),
    ("fr", None),
    ("*", None),
    ("", None),
    ("x" * 600, None),  # junk: no guess
])
def test_the_preferred_language_is_the_browsers_first_of_ours(header, expected):
    assert languages.preferred(header) == expected


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Sec-Fetch-Site": "same-origin"}, True),
    ({"Sec-Fetch-Site": "none"}, False),  # typed, or a bookmark
    ({"Sec-Fetch-Site": "cross-site"}, False),
    ({"Sec-Fetch-Site": "same-site"}, False),
    ({"Referer": "http://check.example/es/about/"}, True),  # an old browser, from our page
    ({"Referer": "https://search.example/?q=pain"}, False),
    ({}, False),
])
def test_a_request_from_our_own_pages_is_told_apart(headers, expected):
    assert languages.came_from_our_pages(headers, host="check.example") is expected


@pytest.mark.parametrize(("path", "language", "expected"), [
    ("/", "es", "/es/"),
    ("/es/", "en", "/"),
    ("/checkin/pain/", "es", "/es/checkin/pain/"),
    ("/es/checkin/pain/", "en", "/checkin/pain/"),
    ("/es/checkin/pain/", "es", "/es/checkin/pain/"),
    ("/c/riverside/", "es", "/es/c/riverside/"),
    ("/essay/", "en", "/essay/"),  # not a prefix: a page that starts with "es"
    ("/es", "en", "/"),
    ("/es-mx/about/", "en", "/about/"),  # a regional prefix Django takes for Spanish
])
def test_the_same_address_in_another_language(path, language, expected):
    assert languages.path_in(path, language) == expected


def test_the_switch_keeps_page_and_query_but_never_repeats_a_post_or_the_exit():
    assert languages.switch_url(path_info="/checkin/connection/", query="from=review&q=support",
                                view_name="questionnaire:step", to="es") == "/es/checkin/connection/?from=review&q=support"
    for name in ("questionnaire:submit", "questionnaire:clear", "questionnaire:leave"):
        assert languages.switch_url(path_info="/es/leave/", query="", view_name=name, to="en") == "/"
    assert languages.switch_url(path_info="/no-such-page/", query="", view_name=None, to="es") == "/es/no-such-page/"


def test_the_other_language_and_the_poster_choices():
    assert languages.other("en") == "es" and languages.other("es") == "en"
    assert languages.poster_choice("both") == "both" and languages.POSTER_CHOICES["both"] == ("en", "es")
    assert languages.poster_choice("fr") == "en" and languages.poster_choice("") == "en"


def test_crisis_lines_give_their_spanish_route_on_a_spanish_page():
    assert crisis_lines.address("text_988", "es") == "sms:988?&body=AYUDA"
    assert crisis_lines.address("chat_988", "es") == "https://988lineadevida.org/"
    assert crisis_lines.address("text_crisis_text_line", "es") == "sms:741741?&body=AYUDA"
    # Phone numbers are the same in every language (988 then "press 2" in words).
    for name in ("call_911", "call_988", "call_samhsa"):
        assert crisis_lines.address(name, "es") == crisis_lines.address(name, "en") == crisis_lines.ADDRESSES[name]
    assert crisis_lines.address("text_988", "en") == "sms:988"
    with pytest.raises(KeyError):
        crisis_lines.address("no_such_line", "es")


# --- Through HTTP ------------------------------------------------------------------------

def html_of(response) -> str:
    return response.content.decode()


def switch_link(html: str) -> dict:
    found = re.search(r'<a class="language-link" href="([^"]*)" lang="([^"]+)" hreflang="([^"]+)">([^<]+)</a>', html)
    assert found, "no language link"
    return {"href": found.group(1).replace("&amp;", "&"), "lang": found.group(2), "hreflang": found.group(3),
            "name": found.group(4)}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "language"), [("/", "en"), ("/es/", "es"), ("/about/", "en"), ("/es/about/", "es"),
                                                ("/es/privacy/", "es"), ("/es/c/riverside/", "es")])
def test_the_address_decides_the_language(client, site, path, language):
    response = client.get(path)
    assert response.status_code == 200
    html = html_of(response)
    assert page_language(html) == language and response["Content-Language"] == language
    assert_frame(html, path)
    link = switch_link(html)
    assert link["lang"] == link["hreflang"] == languages.other(language)
    assert link["name"] == {"en": "Español", "es": "English"}[language]
    assert link["href"] == languages.path_in(path, languages.other(language))


@pytest.mark.django_db
def test_a_spanish_browser_keeps_getting_english_unprefixed_pages(client):
    # Only the start page guesses (below); every other address says its own language.
    html = html_of(client.get("/about/", HTTP_ACCEPT_LANGUAGE="es", HTTP_SEC_FETCH_SITE="none"))
    assert page_language(html) == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "headers", "expected"), [
    ("/", {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9", "HTTP_SEC_FETCH_SITE": "none"}, "/es/"),
    ("/", {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9", "HTTP_SEC_FETCH_SITE": "cross-site"}, "/es/"),
    ("/c/riverside/?utm=poster", {"HTTP_ACCEPT_LANGUAGE": "es", "HTTP_SEC_FETCH_SITE": "cross-site"},
     "/es/c/riverside/?utm=poster"),
    ("/", {"HTTP_ACCEPT_LANGUAGE": "es", "HTTP_SEC_FETCH_SITE": "same-origin"}, None),  # the "English" link
    ("/", {"HTTP_ACCEPT_LANGUAGE": "es", "HTTP_REFERER": "http://testserver/es/"}, None),  # the same, older browser
    ("/", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9,es;q=0.8", "HTTP_SEC_FETCH_SITE": "none"}, None),
    ("/es/", {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_SEC_FETCH_SITE": "none"}, None),  # the address wins
])
def test_a_first_visit_follows_the_browsers_language_once(client, site, path, headers, expected):
    response = client.get(path, **headers)
    if expected is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url == expected
        assert "Accept-Language" in response["Vary"] and "Sec-Fetch-Site" in response["Vary"]
        assert not response.cookies, "the guess leaves no trace"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_starting_a_checkin_is_never_redirected(client):
    response = client.post("/", HTTP_ACCEPT_LANGUAGE="es", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response.url == "/checkin/privacy/"


@pytest.mark.django_db
def test_a_whole_checkin_in_spanish_stays_in_spanish_and_leaves_no_language_cookie(client, site):
    response = client.post(f"/es/c/{site.slug}/")
    assert response.url == "/es/checkin/privacy/"
    for slug, data in FULL_ANSWERS.items():
        html = html_of(client.get(f"/es/checkin/{slug}/"))
        assert page_language(html) == "es" and "Paso " in html
        response = client.post(f"/es/checkin/{slug}/", data)
        assert response.status_code == 302 and response.url.startswith("/es/"), (slug, response.url)
    assert response.url == "/es/checkin/review/"
    assert client.post("/es/checkin/submit/").url == "/es/checkin/results/"
    html = html_of(client.get("/es/checkin/results/"))
    assert page_language(html) == "es" and "Sus resultados" in html
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert set(client.cookies) <= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


@pytest.mark.django_db
def test_switching_language_mid_checkin_keeps_the_answers_and_the_page(client):
    client.post("/")
    client.post("/checkin/privacy/", FULL_ANSWERS["privacy"])
    client.post("/checkin/pain/", FULL_ANSWERS["pain"])
    english = html_of(client.get("/checkin/pain/"))
    assert switch_link(english)["href"] == "/es/checkin/pain/"
    spanish = html_of(client.get("/es/checkin/pain/"))
    for value in ("every_day", "3_months_plus", "most_days"):
        assert re.search(rf'value="{value}"[^>]* checked', spanish), value
    # The review's "Change" link keeps its place in both languages.
    client.post("/es/checkin/past-week/", FULL_ANSWERS["past-week"])
    page = html_of(client.get("/es/checkin/connection/?from=review&q=support"))
    assert switch_link(page)["href"] == "/checkin/connection/?from=review&q=support"
    assert flow.initial(client.session, "pain")["pain_frequency"] == "every_day"


@pytest.mark.django_db
def test_pages_after_a_post_link_to_a_page_that_exists(client, walk):
    walk()
    client.post("/es/checkin/submit/")
    cleared = html_of(client.post("/es/checkin/clear/"))
    assert page_language(cleared) == "es" and "Sus respuestas están borradas" in cleared
    assert switch_link(cleared)["href"] == "/"  # not the POST-only /checkin/clear/
    elsewhere = html_of(client.get("/es/leave/", HTTP_SEC_FETCH_SITE="cross-site"))
    assert switch_link(elsewhere)["href"] == "/"  # never a link that leaves


@pytest.mark.django_db
def test_the_quick_exit_in_spanish_ends_the_checkin_and_forgets_every_cookie(client, walk):
    walk()
    response = client.get("/es/leave/", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response.url == settings.QUICK_EXIT_URL
    assert response["Clear-Site-Data"] == '"cookies", "storage", "cache"'
    assert all(morsel["max-age"] == 0 for morsel in response.cookies.values())
    assert flow.SESSION_KEY not in client.session
    assert 'href="/es/leave/"' in html_of(client.get("/es/about/"))


SPANISH_TELLING = re.compile(r"crisis|ayuda|resultado|medic|dolor|conexi|soledad", re.I)


@pytest.mark.django_db
def test_spanish_titles_are_neutral_too(client, site):
    titles = []
    for path in ("/es/", "/es/about/", "/es/privacy/"):
        titles.append(re.search(r"<title>(.*?)</title>", html_of(client.get(path))).group(1))
    client.post(f"/es/c/{site.slug}/")
    for slug, data in FULL_ANSWERS.items():
        titles.append(re.search(r"<title>(.*?)</title>", html_of(client.get(f"/es/checkin/{slug}/"))).group(1))
        client.post(f"/es/checkin/{slug}/", {**data, "safety": "yes"} if slug == "wellbeing" else data)
    for path in ("/es/checkin/crisis/", "/es/checkin/review/"):
        titles.append(re.search(r"<title>(.*?)</title>", html_of(client.get(path))).group(1))
    client.post("/es/checkin/submit/")
    titles.append(re.search(r"<title>(.*?)</title>", html_of(client.get("/es/checkin/results/"))).group(1))
    assert titles[3] == "Paso 1 de 7 · Chequeo"
    assert not [t for t in titles if SPANISH_TELLING.search(t)], titles


@pytest.mark.django_db
def test_the_spanish_crisis_page_and_frame_give_the_spanish_routes(client, walk):
    walk(overrides={"wellbeing": {"safety": "yes"}})
    html = html_of(client.get("/es/checkin/crisis/"))
    main = html[html.index("<main"):html.index("</main>")]
    for piece in ('href="tel:988"', "marque 2", 'href="sms:988?&amp;body=AYUDA"', 'href="https://988lineadevida.org/"',
                  'href="sms:741741?&amp;body=AYUDA"', 'href="tel:911"', "no le avisan a nadie"):
        assert piece in main, piece
    frame = html[html.index('<section class="safety-frame"'):]
    assert "en inglés y en español" in frame and 'href="https://988lineadevida.org/"' in frame
    # The English page offers Spanish in Spanish words, marked as Spanish for screen readers.
    english = html_of(client.get("/checkin/crisis/"))
    assert '<span lang="es">Español: llame al 988 y marque 2.</span>' in english
    assert '<li lang="es">En español: llame al <a href="tel:988">988</a> y marque 2' in english


@pytest.mark.django_db
def test_the_988_results_card_gives_the_routes_of_the_pages_language(client, walk):
    # "Prefer not to say" to the safety question shows the 988 card among the results.
    walk(overrides={"wellbeing": {"safety": "prefer_not"}})
    client.post("/checkin/submit/")

    def card(path):
        html = html_of(client.get(path))
        start = html.index('id="item-connect_988"')
        return html[start:html.index("</article>", start)]

    english, spanish = card("/checkin/results/"), card("/es/checkin/results/")
    assert 'href="sms:988"' in english and 'href="https://988lifeline.org/chat"' in english
    assert 'href="sms:988?&amp;body=AYUDA"' in spanish and 'href="https://988lineadevida.org/"' in spanish
    assert 'href="tel:988"' in english and 'href="tel:988"' in spanish


@pytest.mark.django_db
def test_spanish_pages_link_only_to_988_elsewhere(client):
    html = html_of(client.get("/es/"))
    assert set(re.findall(r'<a [^>]*href="(https://[^"]+)"', html)) <= {
        "https://988lineadevida.org/", "https://988lifeline.org/help-yourself/for-deaf-hard-of-hearing/"}


# --- Error pages: their language comes from the address ---------------------------------


@pytest.mark.django_db
def test_a_missing_spanish_page_says_so_in_spanish(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    html = html_of(response)
    assert page_language(html) == "es" and "No encontramos la página" in html
    assert_frame(html)
    assert page_language(html_of(client.get("/no-such-page/"))) == "en"


@pytest.mark.django_db
def test_a_request_rejected_before_any_view_is_answered_in_its_addresss_language(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = True  # the host is read in SecurityMiddleware, ahead of every other
    client = Client(raise_request_exception=False)
    spanish = client.get("/es/about/", HTTP_HOST="evil.example")
    assert spanish.status_code == 400 and "No pudimos leer lo que envió" in html_of(spanish)
    # The next request on the same thread, in English, is not left in Spanish.
    english = client.get("/about/", HTTP_HOST="evil.example")
    assert english.status_code == 400 and "We could not read that request" in html_of(english)
    assert page_language(html_of(english)) == "en"


@pytest.mark.django_db
def test_the_500_page_is_in_the_addresss_language(client, settings):
    from django.conf.urls.i18n import i18n_patterns
    from django.urls import path as url_path

    import project.urls

    def boom(request):
        raise RuntimeError("boom")

    patterns = [*project.urls.urlpatterns, *i18n_patterns(url_path("boom/", boom), prefix_default_language=False)]
    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": patterns, "handler500": project.urls.handler500})
    client.raise_request_exception = False
    response = client.get("/es/boom/")
    assert response.status_code == 500
    html = html_of(response)
    assert "Algo salió mal de nuestro lado" in html and 'href="/es/"' in html
    assert_frame(html)


# --- Staff side: English, and the poster in the language the staff member chooses ---------


@pytest.fixture
def member(db, site):
    from questionnaire.models import Membership

    user = get_user_model().objects.create_user("sam", password="a-long-test-password")
    Membership.objects.create(user=user, site=site)
    client = Client()
    client.force_login(user)
    return client


def test_staff_pages_stay_english_without_a_language_link(member):
    html = html_of(member.get("/staff/", follow=True, HTTP_ACCEPT_LANGUAGE="es"))
    assert page_language(html) == "en" and "language-link" not in html
    assert member.get("/es/staff/").status_code == 404


def qr_text(data_uri: str, tmp_path) -> str:
    image = tmp_path / "qr.png"
    image.write_bytes(base64.b64decode(data_uri))
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.parametrize(("choice", "links"), [
    ("", ["http://testserver/c/riverside/"]),
    ("en", ["http://testserver/c/riverside/"]),
    ("es", ["http://testserver/es/c/riverside/"]),
    ("both", ["http://testserver/c/riverside/", "http://testserver/es/c/riverside/"]),
])
def test_the_poster_in_one_language_or_both_each_with_its_own_link(member, tmp_path, choice, links):
    html = html_of(member.get(f"/staff/sites/riverside/poster/?language={choice}"))
    assert page_language(html) == "en"
    sheets = re.findall(r'<section class="poster-sheet" lang="(\w+)".*?</section>', html, re.S)
    assert sheets == ["es" if "/es/" in link else "en" for link in links]
    codes = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert [qr_text(code, tmp_path) for code in codes] == links
    for link in links:
        assert f'<p class="poster-link">{link}</p>' in html
    if "es" in sheets:
        assert "¿Cómo están su dolor y su conexión con otros?" in html
        assert f'alt="Código QR que abre {links[-1]}"' in html
    if "en" in sheets:
        assert "How are your pain and your connections?" in html


def test_the_spanish_frame_list_is_what_a_spanish_page_shows(client, db):
    html = html_of(client.get("/es/"))
    assert [piece for piece in FRAME_SPANISH if piece not in html] == []


@pytest.mark.django_db
def test_static_files_do_not_vary_by_language(client):
    # LocaleMiddleware sits after WhiteNoise: a stylesheet is one file for every language.
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "") and "Content-Language" not in response


@pytest.mark.django_db
def test_every_spanish_address_answers_as_its_english_twin_with_headers_and_frame(site):
    from .test_crawl import ROUTES, SECURITY_HEADERS

    checked = 0
    for route, row in ROUTES.items():
        if route.startswith(("staff", "admin", "healthz")):
            continue  # English only
        path = row.path.format(site=site.slug)
        response = Client().get("/es" + path, HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == row.anonymous, path
        for header, value in SECURITY_HEADERS.items():
            assert value in response.get(header, ""), (path, header)
        if response.status_code == 200:
            html = html_of(response)
            assert page_language(html) == "es", path
            assert_frame(html, "/es" + path)
        checked += 1
    assert checked >= 12


# Szigriszt-Pazos (INFLESZ): 65-80 is "fairly easy", above 80 "easy". The pages whose
# words are all the templates' (the check-in's own text is measured with its catalogue).
SPANISH_EASE = 65.0


@pytest.mark.django_db
def test_the_templates_spanish_reads_fairly_easy_or_easier(client, capsys):
    import textstat

    from .test_reading_level import VisibleText

    def text_of(html):
        parser = VisibleText()
        parser.feed(html)
        return parser.sentences()

    pages = {"landing": client.get("/es/"), "privacy notice": client.get("/es/privacy/"),
             "not found": client.get("/es/nada/"),
             "exit from another site": client.get("/es/leave/", HTTP_SEC_FETCH_SITE="cross-site")}
    client.post("/es/")
    for slug, data in FULL_ANSWERS.items():
        client.post(f"/es/checkin/{slug}/", {**data, "safety": "yes"} if slug == "wellbeing" else data)
    pages["crisis"] = client.get("/es/checkin/crisis/")
    client.post("/es/checkin/submit/")
    pages["cleared"] = client.post("/es/checkin/clear/")
    pages["nothing to show"] = client.get("/es/checkin/review/")
    textstat.set_lang("es")
    try:
        scores = {name: textstat.szigriszt_pazos(text_of(html_of(response))) for name, response in pages.items()}
    finally:
        textstat.set_lang("en_US")
    with capsys.disabled():
        print("\nSzigriszt-Pazos (INFLESZ) of the templates' Spanish:",
              ", ".join(f"{name} {score:.1f}" for name, score in scores.items()))
    assert all(page_language(html_of(response)) == "es" for response in pages.values())
    hard = {name: score for name, score in scores.items() if score < SPANISH_EASE}
    assert not hard, hard


@pytest.mark.django_db
def test_spanish_pages_are_as_light_as_english_ones(client, site):
    from .test_forms_page_weight import LIMIT, first_visit_bytes

    weights = {"landing": first_visit_bytes(html_of(client.get("/es/")))}
    client.post(f"/es/c/{site.slug}/")
    for slug, data in FULL_ANSWERS.items():
        weights[slug] = first_visit_bytes(html_of(client.get(f"/es/checkin/{slug}/")))
        client.post(f"/es/checkin/{slug}/", data)
    weights["review"] = first_visit_bytes(html_of(client.get("/es/checkin/review/")))
    client.post("/es/checkin/submit/")
    weights["results"] = first_visit_bytes(html_of(client.get("/es/checkin/results/")))
    print({name: f"{size / 1024:.1f} KB" for name, size in weights.items()})
    assert max(weights.values()) <= LIMIT, weights


def test_the_about_page_says_where_each_instruments_spanish_comes_from():
    """The check-in's own catalogue gives ``spanish_sources`` (content.SPANISH_SOURCES);
    the page lists each with its status, a plain note and the Spanish version it cites."""
    from types import SimpleNamespace

    from django.template import loader
    from django.utils import translation

    sources = [SimpleNamespace(name="PEG", status_label="Existe una versión en español", note="Una nota.",
                               spanish_source="PEG-S (PMC11580754)"),
               SimpleNamespace(name="ONS", status_label="No hay versión", note="Otra nota.", spanish_source="")]
    with translation.override("es"):
        html = loader.render_to_string("questionnaire/about.html", {"spanish_sources": sources, "sources": []})
    assert "Las preguntas en español" in html
    assert "<dt>PEG: Existe una versión en español</dt>" in html and "<dt>ONS: No hay versión</dt>" in html
    assert 'Versión en español: <span lang="en">PEG-S (PMC11580754)</span>' in html
    assert html.count("Versión en español:") == 1  # none cited where none is known
    with translation.override("es"):
        assert "Las preguntas en español" not in loader.render_to_string("questionnaire/about.html", {"sources": []})
