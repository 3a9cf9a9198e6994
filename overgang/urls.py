from django.contrib import admin
from django.urls import include, path

from overgang.innlogging import views as innlogging_views
from overgang.organisasjon import views as organisasjon_views
from overgang.varsler import views as varsler_views

admin.site.site_header = "Overgang – administrasjon"
admin.site.site_title = "Overgang"
admin.site.index_title = "Administrasjon"

urlpatterns = [
    path("", organisasjon_views.start, name="start"),
    path("om/", organisasjon_views.om, name="om"),
    path("meg/fravaer/", organisasjon_views.fravaer, name="fravaer"),
    path("meg/fravaer/avslutt/", organisasjon_views.fravaer_avslutt, name="fravaer_avslutt"),
    path("logg-inn/", innlogging_views.InnloggingView.as_view(), name="login"),
    path("logg-ut/", innlogging_views.logg_ut, name="logout"),
    path("innlogging/", include("overgang.innlogging.urls")),
    path("saker/", include("saker.urls")),
    path("godkjenning/", include("godkjenning.urls")),
    path("sekretariat/", include("sekretariat.urls")),
    path("admin/", admin.site.urls),
    path("helse/", varsler_views.helse, name="helse"),
    path("varsler/", include("overgang.varsler.urls")),
]
