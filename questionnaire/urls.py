from django.urls import path

from . import views
from .languages import first_visit_language

app_name = "questionnaire"

urlpatterns = [
    # A first visit to a start page may be sent to the browser's language (languages.py).
    path("", first_visit_language(views.landing), name="landing"),
    path("c/<slug:slug>/", first_visit_language(views.landing), name="site_landing"),
    path("checkin/review/", views.review, name="review"),
    path("checkin/submit/", views.submit, name="submit"),
    path("checkin/crisis/", views.crisis, name="crisis"),
    path("checkin/results/", views.results, name="results"),
    path("checkin/results/print/", views.results_print, name="results_print"),
    path("checkin/clear/", views.clear, name="clear"),
    path("checkin/<slug:slug>/", views.step, name="step"),
    path("leave/", views.leave, name="leave"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
