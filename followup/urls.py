"""The follow-up's URLs, one namespace: ``followup``."""

from django.urls import path

from followup.assessment import views as assessment
from followup.catalogue import views as catalogue
from followup.dashboard import views as dashboard
from followup.national import views as national
from followup.reports import views as reports

app_name = "followup"

urlpatterns = [
    # The dashboard, its exports and a consultant's own workload.
    path("uppfoljning/", dashboard.dashboard, name="dashboard"),
    path("uppfoljning/export.csv", dashboard.export_csv, name="export_csv"),
    path("uppfoljning/export.xlsx", dashboard.export_xlsx, name="export_xlsx"),
    path("uppfoljning/min-arbetsbelastning/", dashboard.my_workload, name="my_workload"),
    # PDF reports.
    path("uppfoljning/rapporter/", reports.report_list, name="report_list"),
    path("uppfoljning/rapporter/<uuid:code>/", reports.report_status, name="report_status"),
    path("uppfoljning/rapporter/<uuid:code>/pdf", reports.report_download, name="report_download"),
    # The national export.
    path("uppfoljning/nationell-export/", national.national_export, name="national_export"),
    path("uppfoljning/nationell-export/aggregat.<str:fmt>", national.national_download, name="national_download"),
    # The support catalogue.
    path("katalog/", catalogue.catalogue_index, name="catalogue_index"),
    path("katalog/export.csv", catalogue.catalogue_export, name="catalogue_export"),
    path("katalog/<slug:unit_code>/<int:year>/", catalogue.catalogue_edit, name="catalogue_edit"),
    # The strategic self-assessment.
    path("uppfoljning/sjalvskattning/", assessment.assessment_index, name="assessment_index"),
    path("uppfoljning/sjalvskattning/<slug:unit_code>/<int:year>/", assessment.assessment_edit, name="assessment_edit"),
]
