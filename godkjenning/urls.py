from django.urls import path

from . import views

app_name = "godkjenning"
urlpatterns = [
    path("", views.innboks, name="start"),
    path("saker/<int:pk>/", views.sak, name="sak"),
    path("saker/<int:pk>/godkjenn/", views.godkjenn, name="godkjenn"),
    path("saker/<int:pk>/returner/", views.returner, name="returner"),
    path("motelister/", views.motelister, name="motelister"),
    path("motelister/moter/<int:mote_pk>/legg-til/", views.liste_legg_til, name="liste_legg_til"),
    path("motelister/punkter/<int:pk>/flytt/", views.liste_flytt, name="liste_flytt"),
    path("motelister/punkter/<int:pk>/fjern/", views.liste_fjern, name="liste_fjern"),
]
