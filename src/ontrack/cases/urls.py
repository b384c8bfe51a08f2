from django.urls import path

from ontrack.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/assign/", views.assign, name="assign"),
    path("purpose/", views.state_purpose, name="purpose"),
]
