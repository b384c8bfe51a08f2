from django.urls import path

from ontrack.cases import case_edit_views, views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/assign/", views.assign, name="assign"),
    path("purpose/", views.state_purpose, name="purpose"),
    path("<int:case_id>/edit/", case_edit_views.edit_case, name="edit"),
    path("<int:case_id>/charges/add/", case_edit_views.add_charge, name="add_charge"),
    path("<int:case_id>/charges/<int:charge_id>/", case_edit_views.edit_charge, name="edit_charge"),
    path("<int:case_id>/charges/remove/", case_edit_views.remove_charge, name="remove_charge"),
]
