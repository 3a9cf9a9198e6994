from django.urls import path

from . import views

app_name = "godkjenning"
urlpatterns = [
    path("", views.innboks, name="start"),
]
