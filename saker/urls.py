from django.urls import path

from . import views, views_forsendelser, views_pdf

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
    path("<int:pk>/parter/", views.parter, name="parter"),
    path("<int:pk>/parter/<int:part_pk>/", views.part_rediger, name="part_rediger"),
    path("<int:pk>/parter/<int:part_pk>/fjern/", views.part_fjern, name="part_fjern"),
    path("<int:pk>/vedtaksbrev/", views.vedtaksbrev_lag, name="vedtaksbrev_lag"),
    path("<int:pk>/parter/<int:part_pk>/vedtaksbrev/", views.vedtaksbrev_last_opp, name="vedtaksbrev_last_opp"),
    path("<int:pk>/parter/<int:part_pk>/forsendelse/manuell/", views.forsendelse_registrer,
         name="forsendelse_registrer"),
    path("<int:pk>/parter/<int:part_pk>/forsendelse/svarut/", views.forsendelse_send, name="forsendelse_send"),
    path("<int:pk>/dokumenter/<int:dokument_pk>/pdf/", views_pdf.dokument_pdf, name="dokument_pdf"),
    path("<int:pk>/dokumenter/<int:dokument_pk>/pdf/lag/", views_pdf.dokument_pdf_bestill, name="dokument_pdf_bestill"),
    path("<int:pk>/forsendelser/status/", views_forsendelser.forsendelser_status, name="forsendelser_status"),
    path("<int:pk>/parter/<int:part_pk>/forsendelse/forklar/", views_forsendelser.forsendelse_forklar,
         name="forsendelse_forklar"),
]
