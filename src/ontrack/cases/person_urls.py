"""Person pages, served by the cases app because they list each person's cases."""

from django.urls import path

from ontrack.cases import person_edit_views as edit
from ontrack.cases import views

app_name = "people"
urlpatterns = [
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", edit.edit_person, name="edit"),
    path("<int:person_id>/aliases/add/", edit.add_alias, name="add_alias"),
    path("<int:person_id>/aliases/remove/", edit.remove_alias, name="remove_alias"),
    path("<int:person_id>/identifiers/add/", edit.add_identifier, name="add_identifier"),
    path("<int:person_id>/identifiers/remove/", edit.remove_identifier, name="remove_identifier"),
    path("<int:person_id>/history/", edit.edit_history, name="history"),
    path("<int:person_id>/history/check/", edit.record_history_check, name="history_check"),
    path("<int:person_id>/priors/add/", edit.add_prior, name="add_prior"),
    path("<int:person_id>/priors/<int:prior_id>/", edit.edit_prior, name="edit_prior"),
    path("<int:person_id>/priors/remove/", edit.remove_prior, name="remove_prior"),
]
