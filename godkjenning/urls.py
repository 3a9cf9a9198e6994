from django.urls import path

from . import views

app_name = "godkjenning"
urlpatterns = [
    path("", views.innboks, name="start"),
    path("saker/<int:pk>/", views.sak, name="sak"),
    path("saker/<int:pk>/godkjenn/", views.godkjenn, name="godkjenn"),
    path("saker/<int:pk>/returner/", views.returner, name="returner"),
]
