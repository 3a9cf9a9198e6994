from django.urls import path

from . import views

app_name = "innlogging"
urlpatterns = [
    path("oidc/start/", views.StartView.as_view(), name="start"),
    path("oidc/callback/", views.CallbackView.as_view(), name="callback"),
    path("ingen-rolle/", views.ingen_rolle, name="ingen_rolle"),
    path("nodinngang/", views.InnloggingView.as_view(nodinngang=True), name="nodinngang"),
]
