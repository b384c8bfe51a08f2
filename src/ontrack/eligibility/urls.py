from django.urls import path

from ontrack.eligibility import decision_views, fact_views, views

app_name = "eligibility"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_screenings, name="case_screenings"),
    path("cases/<int:case_id>/screen/", views.screen, name="screen"),
    path("screenings/<int:screening_id>/", views.screening_detail, name="screening"),
    path(
        "screenings/<int:screening_id>/work-authorization/",
        views.record_work_authorization,
        name="record_work_authorization",
    ),
    path("screenings/<int:screening_id>/override/", views.override, name="override"),
    path(
        "cases/<int:case_id>/withdraw-override/",
        decision_views.withdraw_override,
        name="withdraw_override",
    ),
    path("review/", decision_views.review_queue, name="review"),
    path("cases/<int:case_id>/facts/<slug:fact>/", fact_views.record_fact, name="record_fact"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<slug:slug>/", views.policy_detail, name="policy"),
]
