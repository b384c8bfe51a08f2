from django.urls import path

from ontrack.participants import views

app_name = "participants"
urlpatterns = [
    path("<int:enrollment_id>/", views.participant, name="participant"),
    path("day/", views.day, name="day"),
    path("programs/<int:program_id>/", views.program, name="program"),
]
