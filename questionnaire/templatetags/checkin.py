"""Template filters of the person's side (decisions live in plain modules)."""

from django import template

from ..crisis_lines import ADDRESSES
from ..phones import link_phones

register = template.Library()


@register.filter
def phone_links(text):
    """Write ``text`` with every phone number in it as a tel: link."""
    return link_phones(str(text))


@register.simple_tag
def crisis(name):
    """Write a crisis line's address (``crisis_lines.ADDRESSES``); an unknown name fails loudly."""
    return ADDRESSES[name]
