"""Who may see what: the one place staff access is decided.

A *place* is what a staff page is about: one community (site), or, for
superusers only, the check-ins that came by no community link. Every staff view
asks ``place_for``; ``None`` means 404, so a member of one site cannot even
learn whether another site, period or export exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire.models import Site
from questionnaire.rollups import site_key

NO_COMMUNITY_NAME = "No community"


@dataclass(frozen=True)
class Place:
    key: int  # the rollup's site key: 0 is "no community"
    name: str
    site: Site | None  # None for "no community"

    @property
    def slug(self) -> str | None:
        return self.site.slug if self.site else None


def sites_for(user):
    """Return the sites whose numbers a user may see (superusers: all)."""
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(memberships__user=user)


def site_for(user, slug: str) -> Site | None:
    """Return the site with this slug if the user may see it, else None."""
    return sites_for(user).filter(slug=slug).first()


def places_for(user) -> list[Place]:
    """Return every place a user may see, communities by name, then "no community"."""
    places = [Place(site_key(site.pk), site.name, site) for site in sites_for(user).order_by("name")]
    if user.is_authenticated and user.is_active and user.is_superuser:
        places.append(Place(0, NO_COMMUNITY_NAME, None))
    return places


def place_for(user, slug: str | None) -> Place | None:
    """Return the place named by a URL if the user may see it, else None.

    ``slug`` None names "no community", which only superusers see.
    """
    if slug is None:
        if user.is_authenticated and user.is_active and user.is_superuser:
            return Place(0, NO_COMMUNITY_NAME, None)
        return None
    site = site_for(user, slug)
    return Place(site_key(site.pk), site.name, site) if site else None
