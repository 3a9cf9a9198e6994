from django.urls import path

from . import views

app_name = "saker"
urlpatterns = [
    path("", views.mine_saker, name="start"),
]
