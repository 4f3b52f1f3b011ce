"""The legal pages: public addresses in Swedish, as carers read them."""

from django.urls import path

from anhorigstod.legal import views

app_name = "legal"

urlpatterns = [
    path("personuppgifter/", views.privacy_index, name="privacy_index"),
    path("kommun/<str:kommunkod>/personuppgifter/", views.privacy_notice, name="privacy_notice"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility_statement"),
    path("installningar/personuppgifter/", views.privacy_admin_list, name="privacy_admin_list"),
    path("installningar/personuppgifter/<str:kommunkod>/", views.privacy_admin_edit, name="privacy_admin_edit"),
]
