from django.urls import path

from followup.national import views

app_name = "national"

urlpatterns = [
    path("uppfoljning/nationell-export/", views.national_export, name="national_export"),
    path("uppfoljning/nationell-export/aggregat.<str:fmt>", views.national_download, name="national_download"),
]
