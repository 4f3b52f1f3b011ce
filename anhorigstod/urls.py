from django.urls import include, path

from anhorigstod import views
from anhorigstod.accounts import views as account_views

urlpatterns = [
    path("", views.public_home, name="public_home"),
    path("kommun/<str:kommunkod>/", views.municipality_home, name="municipality_home"),
    path("start/", views.start, name="start"),
    path("idag/", views.today, name="today"),
    path("personal/", account_views.staff_list, name="staff_list"),
    path("personal/ny/", account_views.staff_create, name="staff_create"),
    path("administration/", account_views.organisation, name="organisation"),
    path("administration/kommun/<str:kommunkod>/", account_views.municipality_edit, name="municipality_edit"),
    path("administration/kommun/<str:kommunkod>/enheter/ny/", account_views.unit_create, name="unit_create"),
    path("administration/enheter/<slug:code>/", account_views.unit_edit, name="unit_edit"),
    path("personal/<uuid:code>/", account_views.staff_detail, name="staff_detail"),
    path("personal/<uuid:code>/enhet/", account_views.staff_membership_add, name="staff_membership_add"),
    path("personal/<uuid:code>/enhet/<slug:unit>/roll/", account_views.staff_role_change, name="staff_role_change"),
    path(
        "personal/<uuid:code>/enhet/<slug:unit>/ta-bort/",
        account_views.staff_membership_remove,
        name="staff_membership_remove",
    ),
    path("personal/<uuid:code>/inaktivera/", account_views.staff_deactivate, name="staff_deactivate"),
    path("personal/<uuid:code>/aktivera/", account_views.staff_reactivate, name="staff_reactivate"),
    path("healthz/", views.healthz, name="healthz"),
    path("", include("anhorigstod.legal.urls")),
    path("", include("contacts.urls")),
    path("", include("groups.urls")),
    path("", include("anhorigstod.audit.urls")),
    path("", include("followup.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
]
