from django.urls import path

from . import views

app_name = "sekretariat"
urlpatterns = [
    path("", views.kommende_moter, name="start"),
    path("moter/<int:pk>/", views.mote, name="mote"),
]
