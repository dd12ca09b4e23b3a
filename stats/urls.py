"""Staff URLs. Every one is in the access table of tests/test_staff_access.py."""

from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.home, name="home"),
    path("how-we-protect-small-numbers/", views.protection, name="protection"),
    path("settings/", views.settings_view, name="settings"),
    path("sites/<slug:slug>/", views.dashboard_view, name="dashboard"),
    path("sites/<slug:slug>/print/", views.print_view, name="print"),
    path("sites/<slug:slug>/export.csv", views.export_csv, name="export"),
    path("sites/<slug:slug>/all-periods.csv", views.export_long_csv, name="export_long"),
    path("sites/<slug:slug>/chart.svg", views.export_chart, name="chart"),
    path("sites/<slug:slug>/poster/", views.poster, name="poster"),
    # Check-ins that came by no community link: superusers only.
    path("no-community/", views.dashboard_view, name="dashboard_none"),
    path("no-community/print/", views.print_view, name="print_none"),
    path("no-community/export.csv", views.export_csv, name="export_none"),
    path("no-community/all-periods.csv", views.export_long_csv, name="export_long_none"),
    path("no-community/chart.svg", views.export_chart, name="chart_none"),
]
