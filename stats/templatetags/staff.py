"""The staff pages' one tag: a dashboard block, written in Python (stats.tables.block)."""

from django import template

from stats import tables

register = template.Library()


@register.simple_tag
def staff_block(shown, prefix, chart_url=""):
    return tables.block(shown, prefix=prefix, chart_url=chart_url)
