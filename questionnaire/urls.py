from django.urls import path

from . import views

app_name = "questionnaire"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("c/<slug:slug>/", views.landing, name="site_landing"),
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
