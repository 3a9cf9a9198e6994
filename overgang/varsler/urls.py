from django.urls import path

from . import views

app_name = "varsler"
urlpatterns = [
    path("status/", views.status, name="status"),
    path("", views.varslingsvalg, name="valg"),
]
