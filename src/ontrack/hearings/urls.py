from django.urls import path

from ontrack.hearings import views

app_name = "hearings"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("enrollments/<int:enrollment_id>/schedule/", views.schedule, name="schedule"),
    path("<int:hearing_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:hearing_id>/cancel/", views.cancel, name="cancel"),
]
