"""The bare views' URLs, beside the product's own (so base.html's links resolve).

Benchmark only: the product's URLconf (project.urls) never includes this one.
"""

from django.urls import path

from project.urls import urlpatterns as product

from . import views

urlpatterns = [
    path("bare/", views.page),
    path("bare/<str:name>/", views.named),
    path("bare-session/<str:name>/", views.named_session),
    *product,
]
