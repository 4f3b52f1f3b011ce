from django.urls import path

from followup.dashboard import views

app_name = "followup"

urlpatterns = [
    path("uppfoljning/", views.dashboard, name="dashboard"),
    path("uppfoljning/export.csv", views.export_csv, name="export_csv"),
    path("uppfoljning/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("uppfoljning/min-arbetsbelastning/", views.my_workload, name="my_workload"),
]
