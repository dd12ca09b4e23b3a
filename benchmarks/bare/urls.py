"""The bare view's URL, beside the product's own (so base.html's links resolve).

Benchmark only: the product's URLconf (project.urls) never includes this one.
"""

from django.urls import path

from project.urls import urlpatterns as product

from . import views

urlpatterns = [path("bare/", views.page), *product]
