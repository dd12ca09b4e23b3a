"""Thin views for the individual side: HTTP in, call the modules, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import flow, instruments as ins, quick_exit, rules, scoring, summary
from .forms import FORMS
from .models import Site
from .services import checkin_submit


def _expired(request, status=200):
    """Show a neutral page with nothing on it: the check-in has ended (or never began).

    Back after "Leave this site" or "Clear" lands here, on a shared device too, so
    the page names nothing the person said or saw (no answers, no crisis text, no
    results) and its title names nothing either; the help routes stay in the frame.
    A submit that finds no check-in is most often the second press of "Send": the
    first took the check-in off the server (see ``flow.claim``), so say that too.
    """
    match = request.resolver_match
    pressed_twice = match is not None and (
        match.view_name == "questionnaire:submit"
        or (match.view_name == "questionnaire:results" and request.GET.get("sent") == "twice")
    )
    return render(request, "questionnaire/expired.html", {"pressed_twice": pressed_twice}, status=status)


def _site_or_none(slug: str | None) -> Site | None:
    return Site.objects.filter(slug=slug).first() if slug else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def landing(request, slug: str | None = None):
    site = get_object_or_404(Site, slug=slug) if slug else None
    if site is not None and not site.is_active:
        return render(request, "questionnaire/site_inactive.html", {"site": site})
    if request.method == "POST":
        flow.start(request.session, site_slug=site.slug if site else None)
        return redirect("questionnaire:step", slug=flow.STEP_SLUGS[0])
    # Coming back to the start page must not cost a person the answers they gave.
    resume = None
    if flow.has_checkin(request.session) and not flow.is_submitted(request.session):
        following = flow.first_unvisited(request.session)
        resume = reverse("questionnaire:step", args=[following]) if following else reverse("questionnaire:review")
    return render(request, "questionnaire/landing.html", {"site": site, "resume": resume})


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def step(request, slug: str):
    if slug not in FORMS:
        raise Http404("No such step.")
    if not flow.has_checkin(request.session):
        return _expired(request)
    if flow.is_submitted(request.session):
        return redirect("questionnaire:results")
    from_review = request.GET.get("from") == "review"
    form_class = FORMS[slug]
    if request.method == "POST":
        cleared = _answer_to_clear(request.POST.get("action", ""), form_class)
        data = request.POST
        if cleared:
            # "Clear this answer": the step is saved without that answer, and the
            # person stays on the question (this works without JavaScript too).
            data = request.POST.copy()
            data.setlist(cleared, [])
        form = form_class(data)
        if form.is_valid():
            flow.save_step(request.session, slug, form.cleaned_data)
            if cleared:
                return redirect(f"{request.get_full_path()}#question-{cleared}")
            return redirect(_after_step(request, slug, form.cleaned_data, from_review))
    else:
        form = form_class(initial=flow.initial(request.session, slug))
    number = flow.step_number(slug)
    return render(
        request,
        "questionnaire/step.html",
        {
            "form": form,
            "step": ins.STEP_BY_SLUG[slug],
            "number": number,
            "total": len(flow.STEP_SLUGS),
            "previous": flow.previous_step(slug),
            "from_review": from_review,
            "site": _site_or_none(flow.site_slug(request.session)) if slug == "privacy" else None,
        },
    )


def _answer_to_clear(action: str, form_class) -> str | None:
    """Return the question a "Clear this answer" button names, if it is one of this step's."""
    name = action.removeprefix("clear:")
    return name if action.startswith("clear:") and name in form_class.base_fields else None


def _after_step(request, slug: str, cleaned: dict, from_review: bool) -> str:
    """Return the URL of the page a saved step leads to (the decision is ``flow.after_step``)."""
    name, step_slug = flow.after_step(
        slug, cleaned, back=request.POST.get("action") == "back", from_review=from_review
    )
    if name == "crisis":
        return reverse("questionnaire:crisis") + ("?from=review" if from_review else "")
    if name == "review":
        # Back from a "Change" link: to the same answer in the review, not its top.
        question = request.GET.get("q", "")
        anchor = f"#answer-{question}" if from_review and question in FORMS[slug].base_fields else ""
        return reverse("questionnaire:review") + anchor
    return reverse("questionnaire:step", args=[step_slug])


@never_cache
@require_safe
def crisis(request):
    if not flow.has_checkin(request.session):
        # After the check-in ended (left, cleared, expired) Back must not bring this
        # page again; the help lines are in every page's frame.
        return _expired(request)
    continue_url = reverse("questionnaire:review")
    if request.GET.get("from") != "review":
        following = flow.first_unvisited(request.session)
        if following:
            continue_url = reverse("questionnaire:step", args=[following])
    return render(
        request,
        "questionnaire/crisis.html",
        {"continue_url": continue_url},
    )


@never_cache
@require_safe
def review(request):
    if not flow.has_checkin(request.session):
        return _expired(request)
    if flow.is_submitted(request.session):
        return redirect("questionnaire:results")
    missing = flow.first_unvisited(request.session)
    if missing == "privacy":
        return redirect("questionnaire:step", slug="privacy")
    answers = flow.answers(request.session)
    sections = [(step, summary.step_rows(step, answers)) for step in ins.STEPS[1:]]
    return render(
        request,
        "questionnaire/review.html",
        {
            "sections": sections,
            "privacy": dict(ins.PRIVACY_CHOICES)[flow.privacy(request.session)],
        },
    )


@never_cache
@sensitive_post_parameters()
@require_POST
def submit(request):
    if not flow.has_checkin(request.session):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Most often a second press of "Send" while the first was on its way:
            # the first took the check-in off the server, so this one (still
            # carrying the old cookie) finds none. Nothing is done; go where the
            # first press leads. The results show if the browser kept the first
            # answer's cookie, else a page saying the first press sent them.
            return redirect(reverse("questionnaire:results") + "?sent=twice")
        return _expired(request)
    if flow.is_submitted(request.session):
        return redirect("questionnaire:results")  # a second click: nothing more to save
    if flow.privacy(request.session) is None:
        return redirect("questionnaire:step", slug="privacy")
    if flow.privacy(request.session) == "share":
        answers = flow.answers(request.session)
        scores = scoring.score(answers)
        site = _site_or_none(flow.site_slug(request.session))
        checkin_submit(
            answers=answers,
            scores=scores,
            site=site,
            shown=rules.shown_item_ids(rules.evaluate(answers, scores, site=site)),
            claim=lambda: flow.claim(request.session),
            today=timezone.localdate(),
        )
    else:
        flow.claim(request.session)  # "keep only for me": nothing stays on the server
    flow.mark_submitted(request.session)
    return redirect("questionnaire:results")


def _results_context(request) -> dict:
    answers = flow.answers(request.session)
    scores = scoring.score(answers)
    site = _site_or_none(flow.site_slug(request.session))
    results = rules.evaluate(answers, scores, site=site)
    help_first = rules.help_first(answers)
    return {
        "rows": [row for step in ins.STEPS[1:] for row in summary.step_rows(step, answers)],
        "tiles": summary.score_tiles(scores, answers),
        "results": results,
        "help_first": help_first,
        "next_steps": rules.next_steps(results, help_shown=help_first),
        "shared": flow.privacy(request.session) == "share",
        "site": site,
        "checkin_date": timezone.localdate(),
    }


@never_cache
@require_safe
def results(request):
    if not flow.has_checkin(request.session) or not flow.is_submitted(request.session):
        return _expired(request)
    # Shared or kept only for me, a submitted check-in lives in the person's sealed
    # cookie only (nothing on our server), for minutes of inactivity: Back from
    # another page, or a reload, still shows the results until they leave or clear.
    return render(request, "questionnaire/results.html", _results_context(request))


@never_cache
@require_safe
def results_print(request):
    """The results laid out for paper: a plain link, so printing needs no JavaScript."""
    if not flow.has_checkin(request.session) or not flow.is_submitted(request.session):
        return _expired(request)
    return render(request, "questionnaire/results.html", {**_results_context(request), "print_view": True})


def _forget(request, response: HttpResponse) -> HttpResponse:
    """Tell the browser to keep nothing of ours: cookies, storage, cache (and so
    the pages kept for Back), and delete our cookies by name as well."""
    response["Clear-Site-Data"] = quick_exit.CLEAR_SITE_DATA
    for name in quick_exit.cookies_to_delete(
        request.COOKIES, (settings.SESSION_COOKIE_NAME, getattr(settings, "CSRF_COOKIE_NAME", ""))
    ):
        response.delete_cookie(name, path=settings.SESSION_COOKIE_PATH, domain=settings.SESSION_COOKIE_DOMAIN,
                               samesite=settings.SESSION_COOKIE_SAMESITE)
    return response


@never_cache
@require_POST
def clear(request):
    shared = flow.has_checkin(request.session) and flow.privacy(request.session) == "share" \
        and flow.is_submitted(request.session)
    flow.end(request.session)
    return _forget(request, render(request, "questionnaire/cleared.html", {"shared": shared}))


@never_cache
@csrf_exempt  # the check below does the job, and must work after the session (and its token) is gone
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request):
    """Quick exit: end the check-in on the server, forget it in the browser, go somewhere neutral.

    One tap from our own pages (a plain link, so it works without JavaScript). A
    link or form on another site only gets a neutral page with a "Leave this site"
    button: another site must not be able to end someone's check-in.
    """
    if not quick_exit.started_here(request.headers, host=request.get_host()):
        return render(request, "questionnaire/leave_elsewhere.html")
    flow.end(request.session)
    return _forget(request, HttpResponseRedirect(settings.QUICK_EXIT_URL))


@require_safe
def privacy_notice(request):
    """What is stored, where, for how long, and who sees what (person and staff side)."""
    return render(request, "questionnaire/privacy.html")


@require_safe
def about(request):
    return render(request, "questionnaire/about.html", rules.about_context())


def _error_page(template: str, status: int, **context) -> HttpResponse:
    """Render an error page without the request: no context processor reads the
    session or the user (the error may have come from them, e.g. a database
    outage), and no CSRF token is needed (a request rejected early, such as one
    with a bad Host header, never loaded the session that holds it). The security
    headers come from questionnaire.middleware.SecurityHeadersMiddleware."""
    return HttpResponse(loader.render_to_string(template, context), status=status)


def bad_request(request, exception=None):
    """``handler400``: the 400 page."""
    return _error_page("400.html", 400)


def permission_denied(request, exception=None):
    """``handler403``: the 403 page."""
    return _error_page("403.html", 403)


def page_not_found(request, exception=None):
    """``handler404``: the 404 page (Django's own first runs the CSRF check, which reads the session).

    Under /staff/ it points to the staff home (a period with no figures is a 404 there)."""
    return _error_page("404.html", 404, staff=request.path.startswith("/staff/"))


def csrf_failure(request, reason=""):
    """Explain a stale or cookie-less form without losing the saved answers.

    The CSRF token lives in a cookie that ends with the visit, and "Leave this
    site" and Clear delete it with the session, so a check-in form sent after
    the session ended (it expired, the browser closed, or the person left)
    fails here: say kindly that the answers are gone, rather than that they
    are still here.
    """
    on_checkin = request.resolver_match is None or request.resolver_match.namespace == "questionnaire"
    session = getattr(request, "session", None)
    if on_checkin and session is not None and not flow.has_checkin(session):
        return _expired(request, status=403)
    return render(request, "403_csrf.html", status=403)
