from django.urls import path

from ontrack.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("purpose/", views.state_purpose, name="purpose"),
]
