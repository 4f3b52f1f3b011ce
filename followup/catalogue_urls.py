from django.urls import path

from followup.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("katalog/", views.catalogue_index, name="catalogue_index"),
    path("katalog/export.csv", views.catalogue_export, name="catalogue_export"),
    path("katalog/<slug:unit_code>/<int:year>/", views.catalogue_edit, name="catalogue_edit"),
]
