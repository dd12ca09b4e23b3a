"""The bare view's only URL (benchmark only; not part of the product)."""

from django.urls import path

from . import views

urlpatterns = [path("bare/", views.page)]
