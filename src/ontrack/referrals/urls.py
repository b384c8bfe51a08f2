from django.urls import path

from ontrack.referrals import views

app_name = "referrals"
urlpatterns = [
    path("new/", views.referral_step, name="new"),
    path("new/person/", views.person_step, name="person"),
    path("new/case/", views.case_step, name="case"),
    path("codes/", views.code_suggestions, name="codes"),
]
