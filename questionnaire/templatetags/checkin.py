"""Template filters and tags of the person's side (decisions live in plain modules)."""

import functools

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import crisis_lines, languages
from ..phones import link_phones

register = template.Library()


@register.filter
def phone_links(text):
    """Write ``text`` with every phone number in it as a tel: link."""
    return link_phones(str(text))


@register.simple_tag
def crisis(name):
    """Write a crisis line's address for the page's language (``crisis_lines.address``);
    an unknown name fails loudly."""
    return crisis_lines.address(name, translation.get_language())


@register.filter
def crisis_route(href):
    """Write a card link's address in the page's language: 988's text and chat
    links of the results take their Spanish routes on a Spanish page."""
    return crisis_lines.localise(str(href), translation.get_language())


@register.simple_tag(takes_context=True)
def language_link(context):
    """Write the link to this page in the other language, named in that language.

    With the request (every page but the error pages, which are rendered without
    one), the link keeps the page and its query; without it, it leads to the
    other language's start page.
    """
    to = languages.other(translation.get_language())
    request = context.get("request")
    if request is None:
        href = languages.start_page(to)
    else:
        match = request.resolver_match
        href = languages.switch_url(path_info=request.path_info, query=request.META.get("QUERY_STRING", ""),
                                    view_name=match.view_name if match else None, to=to)
    return format_html('<a class="language-link" href="{}" lang="{}" hreflang="{}">{}</a>',
                       href, to, to, languages.NAMES[to])


# Parts of every page that depend on the language alone: written once per process
# and language, as forms.group_html writes a question group once. Their dozens of
# {% translate %} and {% crisis %} tags were a fifth of a step page's cost.
WRITTEN_ONCE = ("_safety_frame.html", "_help_bar.html")


@functools.lru_cache(maxsize=len(WRITTEN_ONCE) * 4)
def _written(template_name: str, language: str) -> str:
    with translation.override(language):
        return get_template(template_name).render({})


@register.simple_tag
def written_once(template_name):
    """Write a part of the page that depends on its language only (``WRITTEN_ONCE``)."""
    if template_name not in WRITTEN_ONCE:
        raise template.TemplateSyntaxError(f"{template_name} is not a part written once: {WRITTEN_ONCE}")
    return mark_safe(_written(template_name, translation.get_language()))  # noqa: S308 - our own template
