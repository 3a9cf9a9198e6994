from django.urls import path

from . import views, views_motebok

app_name = "sekretariat"
urlpatterns = [
    path("", views.kommende_moter, name="start"),
    path("innkomne/", views.innkomne, name="innkomne"),
    path("innkomne/<int:pk>/registrer/", views.registrer, name="registrer"),
    path("moter/", views.moter, name="moter"),
    path("moter/<int:pk>/", views.mote, name="mote"),
    path("moter/<int:pk>/kontroll/", views.mote_kontroll, name="kontroll"),
    path("moter/<int:pk>/kontroll/<int:sak_pk>/paminn/", views.paminn, name="paminn"),
    path("moter/<int:pk>/avholdt/", views.mote_avhold, name="mote_avhold"),
    path("moter/<int:pk>/avlys/", views.mote_avlys, name="mote_avlys"),
    path("moter/<int:mote_pk>/saksliste/<int:pk>/utfall/", views.utfall_registrer, name="utfall_registrer"),
    path("moter/<int:pk>/saksliste/legg-til/", views.saksliste_legg_til, name="saksliste_legg_til"),
    path("moter/<int:mote_pk>/saksliste/<int:pk>/flytt/", views.saksliste_flytt, name="saksliste_flytt"),
    path("moter/<int:mote_pk>/saksliste/<int:pk>/fjern/", views.saksliste_fjern, name="saksliste_fjern"),
    path("moter/<int:pk>/saksliste.docx", views.saksliste_docx, name="saksliste_docx"),
    path("moter/<int:pk>/saksliste.csv", views.saksliste_csv, name="saksliste_csv"),
    path("moter/<int:pk>/saksliste.pdf", views_motebok.saksliste_pdf, name="saksliste_pdf"),
    path("moter/<int:pk>/motebok.pdf", views_motebok.motebok_pdf, name="motebok_pdf"),
    path("moter/<int:pk>/pdf/", views_motebok.motepdf_status, name="motepdf_status"),
    path("moter/<int:pk>/pdf/lag/", views_motebok.motepdf_bestill, name="motepdf_bestill"),
]
