"""Template filters and tags of the person's side (decisions live in plain modules)."""

from django import template
from django.utils import translation
from django.utils.html import format_html

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
