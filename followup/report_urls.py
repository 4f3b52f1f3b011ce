from django.urls import path

from followup.reports import views as report_views

app_name = "reports"

urlpatterns = [
    path("uppfoljning/rapporter/", report_views.report_list, name="report_list"),
    path("uppfoljning/rapporter/<uuid:code>/", report_views.report_status, name="report_status"),
    path("uppfoljning/rapporter/<uuid:code>/pdf", report_views.report_download, name="report_download"),
]
