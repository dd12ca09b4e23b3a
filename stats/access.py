"""Who may see what: the one place staff access is decided."""

from questionnaire.models import Site


def sites_for(user):
    """Return the sites whose aggregates a user may see (superusers: all)."""
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(memberships__user=user)


def site_for(user, slug: str) -> Site | None:
    """Return the site with this slug if the user may see it, else None."""
    return sites_for(user).filter(slug=slug).first()
