"""The audit log in the admin: superusers read it; nobody adds, changes or deletes a row."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "place", "period", "action"]
    list_filter = ["action", "created_at", "site", "user"]
    date_hierarchy = "created_at"
    search_fields = ["user__username", "site__name", "period"]
    list_select_related = ["user", "site"]
    fields = list_display

    @admin.display(description="Community", ordering="site__name")
    def place(self, event):
        return event.site.name if event.site_id else "No community"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
