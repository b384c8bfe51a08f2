from django.urls import path

from ontrack.programs import staff_views as views

app_name = "staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("add/", views.staff_add, name="add"),
    path("<int:user_id>/", views.staff_detail, name="detail"),
    path("<int:user_id>/role/", views.change_role, name="change_role"),
    path("<int:user_id>/programs/", views.change_programs, name="change_programs"),
    path("<int:user_id>/disable/", views.disable, name="disable"),
    path("<int:user_id>/enable/", views.enable, name="enable"),
    path("<int:user_id>/unlock/", views.unlock, name="unlock"),
    path("<int:user_id>/reset-mfa/", views.reset_mfa, name="reset_mfa"),
    path("<int:user_id>/reset-password/", views.reset_password, name="reset_password"),
    path("<int:user_id>/tokens/<slug:prefix>/revoke/", views.revoke_token, name="revoke_token"),
]
