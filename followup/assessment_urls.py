from django.urls import path

from followup.assessment import views

app_name = "assessment"

urlpatterns = [
    path("uppfoljning/sjalvskattning/", views.assessment_index, name="assessment_index"),
    path("uppfoljning/sjalvskattning/<slug:unit_code>/<int:year>/", views.assessment_edit, name="assessment_edit"),
]
