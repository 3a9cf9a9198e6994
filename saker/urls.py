from django.urls import path

from . import views

app_name = "saker"
urlpatterns = [
    path("", views.mine_saker, name="start"),
    path("ny/", views.sak_ny, name="ny"),
    path("<int:pk>/", views.sak, name="sak"),
    path("<int:pk>/rediger/", views.sak_rediger, name="rediger"),
    path("<int:pk>/dokumenter/", views.sak_dokumenter, name="dokumenter"),
    path("<int:pk>/send-til-godkjenning/", views.sak_send_til_godkjenning, name="send_til_godkjenning"),
    path("<int:pk>/send-til-sekretariat/", views.sak_send_til_sekretariat, name="send_til_sekretariat"),
    path("<int:pk>/dokumenter/<int:dokument_pk>/", views.dokument_last_ned, name="dokument"),
    path("<int:pk>/dokumenter/<int:dokument_pk>/forhandsvisning/", views.dokument_forhandsvis,
         name="forhandsvisning"),
]
