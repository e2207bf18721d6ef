"""The front desk's home page."""

from django.urls import path

from patients.home import views

urlpatterns = [
    path("front-desk/", views.home_front_desk, name="home-front-desk"),
]
