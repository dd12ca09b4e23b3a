from django.contrib import admin
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path

from questionnaire import middleware as checkin_middleware, views as checkin_views
from questionnaire.languages import in_language_of_address

from . import health
from .login import AdminLoginForm, StaffLoginForm

admin.site.site_header = "Pain & Connection Check-in: administration"
admin.site.site_title = "Check-in administration"
admin.site.login_form = AdminLoginForm

# A database outage answers 503 with the safety frame, not 500 (see the module).
# Every error page speaks the language of its address (/es/...), whichever layer failed.
handler500 = in_language_of_address(checkin_middleware.server_error)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("staff/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=StaffLoginForm), name="login"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("staff/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("staff/", include("stats.urls")),
]
# The person's side in each language: English unprefixed, Spanish under /es/. The
# language lives in the address only (no cookie; see questionnaire/languages.py).
# Staff pages and the admin stay English and unprefixed.
urlpatterns += i18n_patterns(path("", include("questionnaire.urls")), prefix_default_language=False)

# Our 400, 403 and 404 pages carry the safety frame and read neither the session
# nor the database (a request rejected early has not loaded the session; during an
# outage it cannot be loaded).
handler400 = in_language_of_address(checkin_views.bad_request)
handler403 = in_language_of_address(checkin_views.permission_denied)
handler404 = in_language_of_address(checkin_views.page_not_found)
