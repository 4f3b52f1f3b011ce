from django.urls import path

from anhorigstod.audit import views

app_name = "audit"

urlpatterns = [
    path("loggkontroll/", views.log_review, name="log_review"),
    path("loggkontroll/stickprov/", views.log_sample, name="log_sample"),
    path("loggkontroll/export.csv", views.log_export, name="log_export"),
]
