"""Django admin: communities (sites) and who may see their aggregates.

Individual check-ins are deliberately not registered: nobody, not even a
superuser, browses one person's answers through the app.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Membership, Site


class MembershipInline(admin.StackedInline):
    # Stacked, with a plain select: each field keeps its label (the tabular layout
    # and the autocomplete widget leave fields without an accessible name).
    model = Membership
    extra = 1


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "checkin_link"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Show the shareable link with a copy button, and the way to its poster."""
        site = self.get_object(request, object_id)
        if site is not None:
            extra_context = {
                **(extra_context or {}),
                "share_link": request.build_absolute_uri(site.get_absolute_url()),
                "poster_url": reverse("stats:poster", args=[site.slug]),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Check-in link")
    def checkin_link(self, site):
        return format_html('<a href="{0}">{0}</a>', site.get_absolute_url())
